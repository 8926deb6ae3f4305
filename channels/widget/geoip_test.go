package widget

import (
	"testing"

	"github.com/switchboard-oss/switchboard/channels/widget/geoiptest"
)

func TestGeoIP(t *testing.T) {
	path := geoiptest.Write(t, geoiptest.Place{Network: "203.0.113.0/24", Country: "PT", Region: "Lisbon", City: "Lisbon"})
	var dbs GeoIPs
	defer dbs.Close()
	g, err := dbs.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if c, r, city := g.Locate("203.0.113.7"); c != "PT" || r != "Lisbon" || city != "Lisbon" {
		t.Errorf("locate: %q %q %q", c, r, city)
	}
	if c, _, _ := g.Locate("198.51.100.1"); c != "" {
		t.Errorf("unknown network located in %q", c)
	}
	if c, _, _ := g.Locate("not an ip"); c != "" {
		t.Error("bad address located")
	}
	if again, _ := dbs.Open(path); again != g {
		t.Error("opened twice")
	}
	if _, err := dbs.Open(path + ".missing"); err == nil {
		t.Error("missing database opened")
	}
}
