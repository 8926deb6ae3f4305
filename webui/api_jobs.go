package webui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/switchboard-oss/switchboard/contacts"
)

// jobView is a background job's progress.
type jobView struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Status    string     `json:"status"`
	Total     int        `json:"total"`
	Done      int        `json:"done"`
	Failed    int        `json:"failed"`
	Error     string     `json:"error,omitempty"`
	CreatedAt *time.Time `json:"created_at"`
	UpdatedAt *time.Time `json:"updated_at"`
}

func jobJSON(j *contacts.Job) jobView {
	return jobView{ID: j.ID, Kind: j.Kind, Status: j.Status, Total: j.Total, Done: j.Done, Failed: j.Failed,
		Error: j.Error, CreatedAt: timeJSON(j.CreatedAt), UpdatedAt: timeJSON(j.UpdatedAt)}
}

func (s *Server) getJob(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	j, err := s.svc.GetJob(c.UserContext(), who(c).ProjectID, id)
	if err != nil {
		return err
	}
	return c.JSON(jobJSON(j))
}
