package webhooks

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrPrivateAddress is a delivery refused because the endpoint resolved to a
// non-public address while Config.BlockPrivate is set.
var ErrPrivateAddress = errors.New("the endpoint's address is not public, and private addresses are blocked")

// newClient builds the delivery client: redirects are not followed (a
// signed POST must reach the URL the project configured), and with block
// every dialled address is checked after DNS resolution.
func newClient(timeout time.Duration, block bool) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 4
	if block {
		dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Control: refusePrivate}
		t.DialContext = dialer.DialContext
		t.Proxy = nil // a proxy would dial for us, unchecked
	}
	return &http.Client{Transport: t, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// sharedAddressSpace is carrier-grade NAT (RFC 6598), private in practice.
var sharedAddressSpace = netip.MustParsePrefix("100.64.0.0/10")

// refusePrivate is a dialer Control: it sees the resolved address.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, ErrPrivateAddress)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, ErrPrivateAddress)
	}
	if !publicAddr(ip) {
		return fmt.Errorf("dial %s: %w", address, ErrPrivateAddress)
	}
	return nil
}

// publicAddr reports whether ip is a public unicast address.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.Is4() && ip.As4()[0] == 0 { // "this network", 0.0.0.0/8
		return false
	}
	return ip.IsGlobalUnicast() && !ip.IsPrivate() && !sharedAddressSpace.Contains(ip)
}
