package webui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// decodeJSON decodes the request body into dst strictly: one JSON value,
// no unknown fields, no trailing data. Problems answer 400 naming them.
func decodeJSON(c *fiber.Ctx, dst any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("request body is empty: send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return badRequest(describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequest("malformed JSON: unexpected data after the JSON object")
	}
	return nil
}

// describeJSONError turns a decoding error into a message for the client.
func describeJSONError(err error) string {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("malformed JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: the body ends too early"
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("request body must be %s, not %s", kindName(typ.Type), typ.Value)
		}
		return fmt.Sprintf("field %q must be %s, not %s", typ.Field, kindName(typ.Type), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "malformed JSON: " + strings.TrimPrefix(err.Error(), "json: ")
}

// kindName names a Go type the way a JSON client thinks of it.
func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a " + t.String()
}

// pathID reads a positive int64 path parameter; anything else names no
// resource and answers 404.
func pathID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound("not found")
	}
	return id, nil
}

// queryInt reads an optional integer query parameter within [min, max],
// recording a problem in v.
func queryInt(c *fiber.Ctx, name string, def, min, max int, v *contacts.ValidationError) int {
	raw := c.Query(name)
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < min || n > max {
		v.Add(name, fmt.Sprintf("must be an integer between %d and %d", min, max))
		return def
	}
	return n
}

// queryBool reads an optional true/false query parameter.
func queryBool(c *fiber.Ctx, name string, v *contacts.ValidationError) bool {
	raw := c.Query(name)
	if raw == "" {
		return false
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		v.Add(name, "must be true or false")
	}
	return b
}
