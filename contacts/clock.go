package contacts

import "time"

// Clock returns the current time. Services take one so that tests about
// "7 days ago" need no sleeping.
type Clock func() time.Time

// SystemClock is the wall clock, truncated to milliseconds because that is
// the precision the store keeps.
func SystemClock() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
