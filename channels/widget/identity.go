package widget

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// ErrIdentity: a message's identifier and identifier_hash do not prove who
// the visitor is. The message is refused (401), never stored unverified:
// a site that sends an identifier means the visitor to be that user.
var ErrIdentity = errors.New("identity not verified")

// SignIdentifier is the identifier_hash of identifier under secret: hex
// HMAC-SHA256, as the embedding site's server computes it.
func SignIdentifier(secret, identifier string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(identifier))
	return hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a visitor's identity claim and returns the verified
// identifier; "" when the message makes no claim. Any claim that cannot be
// checked (no secret on the channel, half of the pair missing) is refused
// like a wrong hash. The comparison takes constant time.
func (c *Config) Verify(identifier, hash string) (string, error) {
	switch {
	case identifier == "" && hash == "":
		return "", nil
	case c.IdentitySecret == "":
		return "", fmt.Errorf("%w: this channel has no identity_secret, so identifier and identifier_hash cannot be checked", ErrIdentity)
	case identifier == "":
		return "", fmt.Errorf("%w: identifier_hash was sent without the identifier it signs", ErrIdentity)
	case hash == "":
		return "", fmt.Errorf("%w: identifier needs its identifier_hash (hex HMAC-SHA256 of the identifier under the channel's identity secret)", ErrIdentity)
	}
	got, err := hex.DecodeString(hash)
	mac := hmac.New(sha256.New, []byte(c.IdentitySecret))
	mac.Write([]byte(identifier))
	if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		return "", fmt.Errorf("%w: identifier_hash does not match the identifier", ErrIdentity)
	}
	return identifier, nil
}
