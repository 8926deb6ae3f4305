package eval

import (
	"context"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/ai/guard"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Factory builds the extractor for a conversation's region, the way a
// project's default region configures it.
type Factory func(region string) ai.Extractor

// Same is a Factory for an extractor that takes no region.
func Same(e ai.Extractor) Factory {
	return func(string) ai.Extractor { return e }
}

// Run extracts every conversation (a Final request with an empty contact),
// behind guard.Wrap, and scores the results. An extractor error counts as
// finding nothing, and is reported.
func Run(ctx context.Context, newExtractor Factory, set []Conversation) Report {
	r := Report{Conversations: len(set), Fields: map[string]*Score{}}
	for _, f := range Fields {
		r.Fields[f] = &Score{}
	}
	start := time.Now()
	for _, c := range set {
		if ctx.Err() != nil {
			r.Errors = append(r.Errors, c.ID+": "+ctx.Err().Error())
			continue
		}
		e := guard.Wrap(newExtractor(c.Region), c.Region)
		req := ai.ExtractRequest{Contact: &contacts.Contact{}, History: c.Turns(), Final: true}
		ext, err := e.Extract(ctx, req)
		if err != nil {
			r.Errors = append(r.Errors, c.ID+": "+err.Error())
			ext = nil
		}
		if ext != nil {
			r.Usage.PromptTokens += ext.Usage.PromptTokens
			r.Usage.CompletionTokens += ext.Usage.CompletionTokens
		}
		r.score(c, ext)
	}
	r.Elapsed = time.Since(start)
	return r
}

func (r *Report) score(c Conversation, ext *ai.Extraction) {
	for _, f := range Fields {
		want := normalize(f, c.Expected.want(f), c.Region)
		got := normalize(f, got(ext, f), c.Region)
		s := r.Fields[f]
		switch {
		case got != "" && got == want:
			s.TP++
		case got != "" && want != "":
			s.FP++
			s.FN++
		case got != "":
			s.FP++
		case want != "":
			s.FN++
		}
		if got != want {
			r.Mistakes = append(r.Mistakes, Mistake{ID: c.ID, Field: f, Got: got, Want: want})
		}
	}
	for _, iv := range c.Injected {
		if v := normalize(iv.Field, iv.Value, c.Region); v != "" && normalize(iv.Field, got(ext, iv.Field), c.Region) == v {
			r.InjectedAccepted++
			r.Mistakes = append(r.Mistakes, Mistake{ID: c.ID, Field: iv.Field, Got: v, Injected: true})
		}
		r.InjectedTotal++
	}
}

func got(ext *ai.Extraction, field string) string {
	if ext == nil {
		return ""
	}
	var v *ai.Value
	switch field {
	case "email":
		v = ext.Email
	case "phone":
		v = ext.Phone
	case "first_name":
		v = ext.FirstName
	case "last_name":
		v = ext.LastName
	case "company":
		v = ext.Company
	}
	if v == nil {
		return ""
	}
	return v.Value
}

// normalize makes values comparable: emails lower case, phones E.164,
// names and companies case-insensitive with single spaces. A value that
// does not normalise compares as itself, so a wrong one still counts.
func normalize(field, v, region string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	switch field {
	case "email":
		if e, err := contacts.NormalizeEmail(v); err == nil {
			return e
		}
		return strings.ToLower(v)
	case "phone":
		if p, err := contacts.NormalizePhone(v, region); err == nil {
			return p
		}
		return v
	}
	return strings.ToLower(strings.Join(strings.Fields(v), " "))
}
