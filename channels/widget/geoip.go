package widget

import (
	"fmt"
	"net/netip"
	"sync"

	"github.com/oschwald/maxminddb-golang/v2"
)

// GeoIP locates visitors with a MaxMind-format city database (GeoLite2-City,
// DB-IP and others in the same layout).
type GeoIP struct {
	r *maxminddb.Reader
}

// geoRecord is the part of a city database record the widget reads.
type geoRecord struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	Subdivisions []struct {
		Names map[string]string `maxminddb:"names"`
	} `maxminddb:"subdivisions"`
	City struct {
		Names map[string]string `maxminddb:"names"`
	} `maxminddb:"city"`
}

// Locate returns the country code, region and city of an address; empty
// strings where the database does not know.
func (g *GeoIP) Locate(ip string) (country, region, city string) {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "", "", ""
	}
	var rec geoRecord
	if err := g.r.Lookup(addr.Unmap()).Decode(&rec); err != nil {
		return "", "", ""
	}
	if len(rec.Subdivisions) > 0 {
		region = rec.Subdivisions[0].Names["en"]
	}
	return rec.Country.ISOCode, region, rec.City.Names["en"]
}

// CheckGeoIP reports whether path opens as a MaxMind-format database.
func CheckGeoIP(path string) error {
	r, err := maxminddb.Open(path)
	if err != nil {
		return fmt.Errorf("open GeoIP database: %w", err)
	}
	return r.Close()
}

// GeoIPs opens each database once and shares it between channels.
type GeoIPs struct {
	mu  sync.Mutex
	dbs map[string]*GeoIP
}

// Open returns the database at path, opening it on first use.
func (g *GeoIPs) Open(path string) (*GeoIP, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if db, ok := g.dbs[path]; ok {
		return db, nil
	}
	r, err := maxminddb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open GeoIP database: %w", err)
	}
	if g.dbs == nil {
		g.dbs = map[string]*GeoIP{}
	}
	g.dbs[path] = &GeoIP{r: r}
	return g.dbs[path], nil
}

// Close closes every open database.
func (g *GeoIPs) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, db := range g.dbs {
		db.r.Close()
	}
	g.dbs = nil
}
