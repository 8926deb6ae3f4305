package contacts

import (
	"errors"
	"testing"
)

func TestPrivacyInputApply(t *testing.T) {
	n := func(v int) *int { return &v }
	s := func(v string) *string { return &v }
	cases := []struct {
		name  string
		start PrivacySettings
		in    PrivacyInput
		want  PrivacySettings
		field string // the field a validation error names; "" for success
	}{
		{"nothing changes nothing", DefaultPrivacySettings(), PrivacyInput{}, DefaultPrivacySettings(), ""},
		{"anonymize by default", DefaultPrivacySettings(), PrivacyInput{ErasureDefault: s("anonymize")},
			PrivacySettings{ErasureDefault: ErasureAnonymize}, ""},
		{"unknown mode", DefaultPrivacySettings(), PrivacyInput{ErasureDefault: s("shred")}, PrivacySettings{}, "erasure_default"},
		{"grace bounds", DefaultPrivacySettings(), PrivacyInput{ErasureGraceDays: n(365)},
			PrivacySettings{ErasureDefault: ErasureDelete, ErasureGraceDays: 365}, ""},
		{"grace too long", DefaultPrivacySettings(), PrivacyInput{ErasureGraceDays: n(366)}, PrivacySettings{}, "erasure_grace_days"},
		{"negative grace", DefaultPrivacySettings(), PrivacyInput{ErasureGraceDays: n(-1)}, PrivacySettings{}, "erasure_grace_days"},
		{"policies", DefaultPrivacySettings(), PrivacyInput{Retention: &RetentionInput{ArchiveInactiveMonths: n(12), PurgeArchivedMonths: n(6), PurgeMessageBodiesDays: n(90)}},
			PrivacySettings{ErasureDefault: ErasureDelete, Retention: RetentionPolicy{12, 6, 90}}, ""},
		{"a rule off keeps the others", PrivacySettings{ErasureDefault: ErasureDelete, Retention: RetentionPolicy{12, 6, 90}},
			PrivacyInput{Retention: &RetentionInput{PurgeMessageBodiesDays: n(0)}},
			PrivacySettings{ErasureDefault: ErasureDelete, Retention: RetentionPolicy{12, 6, 0}}, ""},
		{"purge without archive", DefaultPrivacySettings(), PrivacyInput{Retention: &RetentionInput{PurgeArchivedMonths: n(6)}},
			PrivacySettings{}, "retention.purge_archived_months"},
		{"archive off under a purge", PrivacySettings{Retention: RetentionPolicy{12, 6, 0}}, PrivacyInput{Retention: &RetentionInput{ArchiveInactiveMonths: n(0)}},
			PrivacySettings{}, "retention.purge_archived_months"},
		{"months too many", DefaultPrivacySettings(), PrivacyInput{Retention: &RetentionInput{ArchiveInactiveMonths: n(121)}},
			PrivacySettings{}, "retention.archive_inactive_months"},
		{"body days too many", DefaultPrivacySettings(), PrivacyInput{Retention: &RetentionInput{PurgeMessageBodiesDays: n(3651)}},
			PrivacySettings{}, "retention.purge_message_bodies_days"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.start
			err := tc.in.Apply(&got)
			if tc.field != "" {
				var ve *ValidationError
				if !errors.As(err, &ve) || ve.Fields[tc.field] == "" {
					t.Fatalf("want a problem with %s, got %v", tc.field, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestMayReceiveAutomated(t *testing.T) {
	for _, tc := range []struct {
		c    Contact
		want bool
	}{
		{Contact{}, true},
		{Contact{Email: "a@example.com", LeadStatus: LeadArchived}, true},
		{Contact{DoNotContact: true}, false},
	} {
		if got := tc.c.MayReceiveAutomated(); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.c, got, tc.want)
		}
	}
}
