// Package geoiptest writes tiny MaxMind-format city databases for tests.
package geoiptest

import (
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// Place is one network's location.
type Place struct {
	Network               string // CIDR
	Country, Region, City string
}

// Write builds a database with the places and returns its path.
func Write(t testing.TB, places ...Place) string {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: "GeoLite2-City", IncludeReservedNetworks: true, RecordSize: 24})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range places {
		_, network, err := net.ParseCIDR(p.Network)
		if err != nil {
			t.Fatal(err)
		}
		rec := mmdbtype.Map{
			"country":      mmdbtype.Map{"iso_code": mmdbtype.String(p.Country)},
			"subdivisions": mmdbtype.Slice{mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(p.Region)}}},
			"city":         mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String(p.City)}},
		}
		if err := tree.Insert(network, rec); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "city.mmdb")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := tree.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	return path
}
