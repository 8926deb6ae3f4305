package webui

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// trustedProxies are the reverse proxies whose X-Forwarded-For is believed.
type trustedProxies []netip.Prefix

// parseTrustedProxies reads Config.TrustedProxies: IPs or CIDRs. It
// returns the entries that are neither, which trust nobody.
func parseTrustedProxies(list []string) (out trustedProxies, bad []string) {
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			bad = append(bad, s)
			continue
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, bad
}

func (t trustedProxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP is the address of the client a request came from: the peer's,
// unless the peer is a trusted proxy. Then X-Forwarded-For is read from the
// right, skipping trusted proxies: each proxy appends the address it was
// reached from, so the right-most entry that is not one of ours is the
// client, and whatever lies left of it was written by the client and can be
// anything (Fiber's c.IP() takes the left-most, which a client spoofs by
// sending its own header).
func (s *Server) clientIP(c *fiber.Ctx) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Context().RemoteIP().String()
	}
	peer = peer.Unmap()
	if !s.proxies.trusts(peer) {
		return peer.String()
	}
	var hops []string
	for _, h := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		hops = append(hops, strings.Split(string(h), ",")...)
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// A trusted proxy wrote garbage here: the last hop we can
			// vouch for is the best answer.
			break
		}
		client = a.Unmap()
		if !s.proxies.trusts(client) {
			break
		}
	}
	return client.String()
}
