package webui

import (
	"errors"
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/switchboard-oss/switchboard/channels/widget"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Error codes of the JSON error body. Clients branch on these, not on
// messages.
const (
	codeBadRequest       = "bad_request"
	codeUnauthorized     = "unauthorized"
	codeForbidden        = "forbidden"
	codeNotFound         = "not_found"
	codeMethodNotAllowed = "method_not_allowed"
	codeConflict         = "conflict"
	codeGone             = "gone"
	codeTooLarge         = "payload_too_large"
	codeValidation       = "validation_failed"
	codeInternal         = "internal"
	codeUnavailable      = "unavailable"
	codeRateLimited      = "rate_limited"
	codeUpgradeRequired  = "upgrade_required"
	codeBadGateway       = "bad_gateway"
)

// errorBody is the JSON shape of every error answer.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code       string            `json:"code"`
	Message    string            `json:"message"`
	Fields     map[string]string `json:"fields,omitempty"`
	ExistingID int64             `json:"existing_id,omitempty"`
}

// requestError is a problem with the request as a whole that a handler
// found itself (malformed JSON, a bad id).
type requestError struct {
	status  int
	message string
}

func (e *requestError) Error() string { return e.message }

func badRequest(msg string) error { return &requestError{fiber.StatusBadRequest, msg} }

func notFound(msg string) error { return &requestError{fiber.StatusNotFound, msg} }

// statusCodes names the status codes this API answers with.
var statusCodes = map[int]string{
	fiber.StatusBadRequest:            codeBadRequest,
	fiber.StatusUnauthorized:          codeUnauthorized,
	fiber.StatusForbidden:             codeForbidden,
	fiber.StatusNotFound:              codeNotFound,
	fiber.StatusMethodNotAllowed:      codeMethodNotAllowed,
	fiber.StatusConflict:              codeConflict,
	fiber.StatusGone:                  codeGone,
	fiber.StatusRequestEntityTooLarge: codeTooLarge,
	fiber.StatusUnprocessableEntity:   codeValidation,
	fiber.StatusServiceUnavailable:    codeUnavailable,
	fiber.StatusTooManyRequests:       codeRateLimited,
	fiber.StatusUpgradeRequired:       codeUpgradeRequired,
	fiber.StatusBadGateway:            codeBadGateway,
}

func codeFor(status int) string {
	if code, ok := statusCodes[status]; ok {
		return code
	}
	if status >= 500 {
		return codeInternal
	}
	return codeBadRequest
}

// errorResponse maps any error to a status and body. It is the one place
// that knows how domain errors look over HTTP.
func errorResponse(err error) (int, errorBody) {
	var (
		ve  *contacts.ValidationError
		de  *contacts.DuplicateError
		re  *requestError
		fe  *fiber.Error
		out errorDetail
	)
	status := fiber.StatusInternalServerError
	switch {
	case errors.As(err, &ve):
		status, out.Message, out.Fields = fiber.StatusUnprocessableEntity, ve.Error(), ve.Fields
	case errors.As(err, &de):
		status, out.Message = fiber.StatusConflict, de.Error()
		out.ExistingID, out.Fields = de.ExistingID, map[string]string{de.Field: "already belongs to another contact"}
	case errors.As(err, &re):
		status, out.Message = re.status, re.message
	case errors.As(err, &fe):
		status, out.Message = fe.Code, fe.Message
		if status >= 500 {
			out.Message = "internal server error"
		}
	// The domain's 4xx messages are written for users ("undo merge 3: merge
	// 3 was already undone: conflict"), so they are passed on; not-found
	// ones are not, so a foreign id reads exactly like a missing one.
	case errors.Is(err, contacts.ErrNotFound):
		status, out.Message = fiber.StatusNotFound, "not found"
	case errors.Is(err, contacts.ErrExportExpired):
		status, out.Message = fiber.StatusGone, contacts.ErrExportExpired.Error()
	case errors.Is(err, contacts.ErrConflict):
		status, out.Message = fiber.StatusConflict, err.Error()
	case errors.Is(err, widget.ErrIdentity):
		// The reason (which half of the claim is wrong) helps the site's
		// developer and tells a forger nothing the hash does not.
		status, out.Message = fiber.StatusUnauthorized, err.Error()
	case errors.Is(err, contacts.ErrUnauthorized):
		status, out.Message = fiber.StatusUnauthorized, "missing or invalid credentials"
	case errors.Is(err, contacts.ErrForbidden):
		status, out.Message = fiber.StatusForbidden, err.Error()
	case errors.Is(err, contacts.ErrInvalid):
		status, out.Message = fiber.StatusBadRequest, err.Error()
	default:
		out.Message = "internal server error"
	}
	out.Code = codeFor(status)
	return status, errorBody{Error: out}
}

// handleError is Fiber's ErrorHandler: every error a handler returns, and
// the server's own (unknown route, 405, 413), ends here.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status, body := errorResponse(err)
	if status >= 500 {
		s.logServerError(c, status, err)
	}
	if status == fiber.StatusNotFound && wantsPage(c) {
		return s.notFoundPage(c, body)
	}
	if status == fiber.StatusUnauthorized {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="switchboard"`)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(body)
}

// logServerError logs a 5xx with the request and, for a panic, its stack.
func (s *Server) logServerError(c *fiber.Ctx, status int, err error) {
	attrs := []any{
		slog.Int("status", status),
		slog.String("method", utils.CopyString(c.Method())),
		slog.String("path", utils.CopyString(c.Path())),
		slog.String("error", err.Error()),
	}
	var pe *panicError
	if errors.As(err, &pe) {
		attrs = append(attrs, slog.String("stack", string(pe.stack)))
	}
	s.log.ErrorContext(c.UserContext(), "request failed", attrs...)
}
