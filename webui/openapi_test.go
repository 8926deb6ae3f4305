package webui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestMain runs the tests, then checks that every status any test got from
// an API operation is documented for that operation in openapi.json.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if problems := undocumentedStatuses(); len(problems) > 0 {
			fmt.Fprintln(os.Stderr, "FAIL: answers not documented in openapi.json:\n  "+strings.Join(problems, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

type openAPIDocument struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas   map[string]schemaObject    `json:"schemas"`
		Responses map[string]json.RawMessage `json:"responses"`
	} `json:"components"`
}

type schemaObject struct {
	Properties map[string]json.RawMessage `json:"properties"`
	Required   []string                   `json:"required"`
}

type operationObject struct {
	Parameters []struct {
		Name string `json:"name"`
		In   string `json:"in"`
	} `json:"parameters"`
	Responses map[string]json.RawMessage `json:"responses"`
	Security  *[]any                     `json:"security"`
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func loadOpenAPI(t testing.TB) *openAPIDocument {
	var doc openAPIDocument
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return &doc
}

// operations lists the document's operations as "METHOD /path".
func (d *openAPIDocument) operations() map[string]operationObject {
	ops := map[string]operationObject{}
	for p, item := range d.Paths {
		for _, m := range httpMethods {
			raw, ok := item[m]
			if !ok {
				continue
			}
			var op operationObject
			if err := json.Unmarshal(raw, &op); err != nil {
				panic(fmt.Sprintf("%s %s: %v", m, p, err))
			}
			var shared struct {
				Parameters []struct {
					Name string `json:"name"`
					In   string `json:"in"`
				} `json:"parameters"`
			}
			if raw, ok := item["parameters"]; ok {
				_ = json.Unmarshal(raw, &shared.Parameters)
				op.Parameters = append(op.Parameters, shared.Parameters...)
			}
			ops[strings.ToUpper(m)+" "+p] = op
		}
	}
	return ops
}

var fiberParam = regexp.MustCompile(`:(\w+)`)

// routerOperations lists the server's API routes as "METHOD /path" with
// OpenAPI path templates.
func routerOperations() map[string]bool {
	s := New(Config{})
	out := map[string]bool{}
	for _, r := range s.App().GetRoutes(true) {
		if r.Method == http.MethodHead || !(strings.HasPrefix(r.Path, "/api/v1/") || strings.HasPrefix(r.Path, "/channels/") || r.Path == "/healthz") {
			continue
		}
		out[r.Method+" "+fiberParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	return out
}

func TestOpenAPIMatchesRouter(t *testing.T) {
	doc := loadOpenAPI(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.0.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	ops := doc.operations()
	routes := routerOperations()
	if len(routes) < 20 {
		t.Fatalf("only %d routes found: %v", len(routes), routes)
	}
	for r := range routes {
		if _, ok := ops[r]; !ok {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for op := range ops {
		if !routes[op] {
			t.Errorf("openapi.json documents %s, which the router does not serve", op)
		}
	}
}

func TestOpenAPIOperations(t *testing.T) {
	doc := loadOpenAPI(t)
	for name, op := range doc.operations() {
		public := op.Security != nil && len(*op.Security) == 0
		if !public {
			if _, ok := op.Responses["401"]; !ok {
				t.Errorf("%s needs a key but does not document 401", name)
			}
		}
		if len(op.Responses) == 0 {
			t.Errorf("%s documents no responses", name)
		}
		declared := map[string]bool{}
		for _, p := range op.Parameters {
			if p.In == "path" {
				declared[p.Name] = true
			}
		}
		for _, m := range regexp.MustCompile(`\{(\w+)\}`).FindAllStringSubmatch(name, -1) {
			if !declared[m[1]] {
				t.Errorf("%s does not declare its path parameter %s", name, m[1])
			}
		}
		for code, raw := range op.Responses {
			var r struct {
				Ref string `json:"$ref"`
			}
			_ = json.Unmarshal(raw, &r)
			if r.Ref != "" {
				if _, ok := doc.Components.Responses[strings.TrimPrefix(r.Ref, "#/components/responses/")]; !ok {
					t.Errorf("%s %s refers to a missing %s", name, code, r.Ref)
				}
			}
		}
	}
	for _, ref := range regexp.MustCompile(`"#/components/schemas/(\w+)"`).FindAllStringSubmatch(string(openAPIDoc), -1) {
		if _, ok := doc.Components.Schemas[ref[1]]; !ok {
			t.Errorf("reference to a missing schema %s", ref[1])
		}
	}
}

// TestOpenAPISchemas keeps the documented Contact and Error schemas in step
// with the JSON the server writes.
func TestOpenAPISchemas(t *testing.T) {
	doc := loadOpenAPI(t)
	for name, typ := range map[string]reflect.Type{
		"Contact":         reflect.TypeFor[contactView](),
		"Identity":        reflect.TypeFor[identityView](),
		"Note":            reflect.TypeFor[noteView](),
		"Conversation":    reflect.TypeFor[conversationView](),
		"Message":         reflect.TypeFor[messageView](),
		"Merge":           reflect.TypeFor[mergeView](),
		"Job":             reflect.TypeFor[jobView](),
		"SavedFilter":     reflect.TypeFor[savedFilterView](),
		"Channel":         reflect.TypeFor[channelView](),
		"Webhook":         reflect.TypeFor[webhookView](),
		"WebhookDelivery": reflect.TypeFor[deliveryView](),
		"Export":          reflect.TypeFor[exportFileView](),
	} {
		schema, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("no %s schema", name)
			continue
		}
		fields := jsonFields(typ)
		for _, f := range fields {
			if _, ok := schema.Properties[f]; !ok {
				t.Errorf("schema %s lacks %s", name, f)
			}
		}
		for p := range schema.Properties {
			if !contains(fields, p) {
				t.Errorf("schema %s documents %s, which the server does not write", name, p)
			}
		}
	}
	errSchema := doc.Components.Schemas["Error"]
	if _, ok := errSchema.Properties["error"]; !ok {
		t.Errorf("Error schema lacks error: %v", errSchema)
	}
	var inner struct {
		Properties map[string]struct {
			Enum []string `json:"enum"`
		} `json:"properties"`
	}
	_ = json.Unmarshal(errSchema.Properties["error"], &inner)
	codes := inner.Properties["code"].Enum
	for _, code := range statusCodes {
		if !contains(codes, code) {
			t.Errorf("error code %q is not in the Error schema's enum %v", code, codes)
		}
	}
}

func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// undocumentedStatuses checks the recorded requests against the document.
func undocumentedStatuses() []string {
	var doc openAPIDocument
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		return []string{err.Error()}
	}
	ops := doc.operations()
	var templates []string
	for p := range doc.Paths {
		templates = append(templates, p)
	}
	seen := map[string]bool{}
	var problems []string
	recordMu.Lock()
	defer recordMu.Unlock()
	for _, r := range records {
		tpl := matchTemplate(templates, r.path)
		if tpl == "" {
			continue // not an API path (test routes, unknown paths)
		}
		op, ok := ops[r.method+" "+tpl]
		if !ok {
			if r.status != http.StatusMethodNotAllowed {
				problems = append(problems, fmt.Sprintf("%s %s answered %d but %s %s is not documented", r.method, r.path, r.status, r.method, tpl))
			}
			continue
		}
		key := r.method + " " + tpl + " " + strconv.Itoa(r.status)
		if _, ok := op.Responses[strconv.Itoa(r.status)]; !ok && !seen[key] {
			seen[key] = true
			problems = append(problems, fmt.Sprintf("%s %s answered %d (e.g. %s)", r.method, tpl, r.status, r.path))
		}
	}
	sort.Strings(problems)
	return problems
}

// matchTemplate finds the documented path template for a concrete path,
// preferring literal segments (/contacts/duplicates over /contacts/{id}).
func matchTemplate(templates []string, path string) string {
	segs := strings.Split(path, "/")
	best, bestScore := "", -1
	for _, tpl := range templates {
		tsegs := strings.Split(tpl, "/")
		if len(tsegs) != len(segs) {
			continue
		}
		score := 0
		for i, ts := range tsegs {
			if strings.HasPrefix(ts, "{") {
				continue
			}
			if ts != segs[i] {
				score = -1
				break
			}
			score++
		}
		if score > bestScore {
			best, bestScore = tpl, score
		}
	}
	return best
}

func TestMatchTemplate(t *testing.T) {
	tpls := []string{"/api/v1/contacts", "/api/v1/contacts/{id}", "/api/v1/contacts/duplicates", "/api/v1/contacts/{id}/notes"}
	for path, want := range map[string]string{
		"/api/v1/contacts":            "/api/v1/contacts",
		"/api/v1/contacts/12":         "/api/v1/contacts/{id}",
		"/api/v1/contacts/duplicates": "/api/v1/contacts/duplicates",
		"/api/v1/contacts/abc/notes":  "/api/v1/contacts/{id}/notes",
		"/api/v1/nope":                "",
		"/test/panic":                 "",
	} {
		if got := matchTemplate(tpls, path); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
}
