// Package synth makes deterministic synthetic contacts for benchmarks and
// load tests: realistic names, unique emails and valid E.164 phones.
package synth

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

var (
	firstNames = []string{"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
		"David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Maria", "Ana", "Luis", "Sofia",
		"Mateo", "Chen", "Wei", "Yuki", "Hiroshi", "Fatima", "Omar", "Aisha", "Ivan", "Olga", "Pierre", "Camille", "Hans", "Greta",
		"Priya", "Arjun", "Zoë", "Noah", "Emma", "Liam", "Olivia", "Lucas", "Mia", "Ethan", "Amelia", "Mason", "Harper"}
	lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
		"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez",
		"Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
		"Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
		"Mitchell", "Carter", "Roberts", "Silva", "Müller", "Schmidt", "Dubois", "Rossi", "Tanaka", "Kim", "Singh", "Kowalski"}
	companyWords = []string{"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Hooli", "Vandelay", "Soylent",
		"Cyberdyne", "Tyrell", "Aperture", "Massive", "Dynamic", "Pied Piper", "Gringotts", "Oscorp", "Monarch", "Nakatomi"}
	companySuffix = []string{"Inc", "LLC", "Ltd", "Corp", "GmbH", "Labs", "Group", "Partners", "Studio", "Logistics"}
	domains       = []string{"gmail.com", "yahoo.com", "outlook.com", "example.com", "mail.example.org", "proton.me", "icloud.com"}
	channels      = []contacts.Channel{contacts.ChannelWidget, contacts.ChannelLivechat, contacts.ChannelTelegram, contacts.ChannelMessenger,
		contacts.ChannelInstagram, contacts.ChannelWhatsApp, contacts.ChannelAPI, contacts.ChannelImport, contacts.ChannelManual}
	tagPool   = []string{"vip", "lead", "customer", "newsletter", "trial", "churn-risk", "partner", "support", "b2b", "b2c"}
	countries = []string{"US", "BR", "GB", "DE", "FR", "ES", "MX", "IN", "JP", "CA"}
	// US area codes known to the phone metadata as valid.
	areaCodes = []int{201, 212, 213, 305, 312, 415, 512, 617, 646, 702, 718, 805, 917, 919, 972}
)

// Contact returns the i-th synthetic contact of a project. The same i always
// gives the same contact; emails and phones are unique per i.
func Contact(projectID int64, i int, now time.Time) *contacts.Contact {
	r := rand.New(rand.NewPCG(uint64(i), 0x5157))
	first := firstNames[r.IntN(len(firstNames))]
	last := lastNames[r.IntN(len(lastNames))]
	created := now.Add(-time.Duration(r.Int64N(int64(730 * 24 * time.Hour)))).Truncate(time.Millisecond)
	c := &contacts.Contact{
		ProjectID: projectID, FirstName: first, LastName: last,
		Channel:   channels[r.IntN(len(channels))],
		Country:   countries[r.IntN(len(countries))],
		CreatedAt: created, UpdatedAt: created,
	}
	if r.IntN(10) < 8 {
		c.Email = fmt.Sprintf("%s.%s.%d@%s", lower(first), lower(last), i, domains[r.IntN(len(domains))])
	}
	if r.IntN(10) < 6 {
		// 15 area codes x 8,000,000 numbers each: unique for i < 120M.
		area := areaCodes[i%len(areaCodes)]
		n := i / len(areaCodes)
		c.Phone = fmt.Sprintf("+1%d%03d%04d", area, 200+n/10000%800, n%10000)
	}
	if r.IntN(10) < 5 {
		c.Company = companyWords[r.IntN(len(companyWords))] + " " + companySuffix[r.IntN(len(companySuffix))]
	}
	for _, t := range tagPool {
		if r.IntN(8) == 0 {
			c.Tags = append(c.Tags, t)
		}
	}
	if c.Channel == contacts.ChannelTelegram {
		c.Identities = []contacts.Identity{{Channel: contacts.ChannelTelegram, ExternalID: fmt.Sprint(100000000 + i), CreatedAt: created}}
	}
	if r.IntN(3) == 0 {
		c.LastSeenAt = created.Add(time.Duration(r.Int64N(int64(now.Sub(created)) + 1))).Truncate(time.Millisecond)
		c.ConversationCount = 1 + r.IntN(6)
	}
	for _, f := range []string{"first_name", "last_name", "email", "phone", "company"} {
		c.SetSource(f, contacts.SourceImport, created)
	}
	c.ApplyLead(now)
	return c
}

func lower(s string) string {
	b := []rune(s)
	for i, r := range b {
		if r >= 'A' && r <= 'Z' {
			b[i] = r + 32
		}
	}
	return string(b)
}
