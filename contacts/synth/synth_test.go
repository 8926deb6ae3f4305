package synth

import (
	"testing"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
)

func TestContactsAreValidAndUnique(t *testing.T) {
	now := time.Now()
	emails, phones := map[string]bool{}, map[string]bool{}
	for i := 0; i < 3000; i++ {
		c := Contact(1, i, now)
		if c.Phone != "" {
			if p, err := contacts.NormalizePhone(c.Phone, "US"); err != nil || p != c.Phone {
				t.Fatalf("contact %d phone %q: %v", i, c.Phone, err)
			}
			if phones[c.Phone] {
				t.Fatalf("phone %q repeats", c.Phone)
			}
			phones[c.Phone] = true
		}
		if c.Email != "" {
			if e, err := contacts.NormalizeEmail(c.Email); err != nil || e != c.Email {
				t.Fatalf("contact %d email %q: %v", i, c.Email, err)
			}
			if emails[c.Email] {
				t.Fatalf("email %q repeats", c.Email)
			}
			emails[c.Email] = true
		}
	}
	if Contact(1, 42, now).Email != Contact(1, 42, now).Email {
		t.Error("not deterministic")
	}
}
