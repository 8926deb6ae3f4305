// Package gateway will hold the router that takes every inbound message from a
// channel adapter to the contact engine, and the durable job queue. Nothing is
// implemented here yet.
package gateway
