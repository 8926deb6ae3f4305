package webui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/contacts"
	"github.com/switchboard-oss/switchboard/contacts/csvimport"
)

// The import wizard keeps its upload where the API keeps its uploads
// (<data dir>/imports/<token>.csv, see saveUpload), once, and the wizard's
// choices beside it in <token>.draft.json; every step names the upload by
// its token, which is random and tied to the project that uploaded it.
// Starting the import hands the file to the import (which deletes it when
// done) and removes the draft; drafts never started are swept a day later.

// importDraft is an upload on its way through the wizard.
type importDraft struct {
	Token     string                 `json:"-"`
	Path      string                 `json:"-"`
	ProjectID int64                  `json:"project_id"`
	UserID    int64                  `json:"user_id"`
	FileName  string                 `json:"file_name"`
	Size      int64                  `json:"size"`
	Options   contacts.ImportOptions `json:"options"`
	// Mapped is set once the mapping step was saved.
	Mapped    bool      `json:"mapped"`
	CreatedAt time.Time `json:"created_at"`
}

// importDraftTTL is how long an upload waits for its import to start.
const importDraftTTL = 24 * time.Hour

const draftSuffix = ".draft.json"

// draftToken matches the base names saveUpload gives uploads.
var draftToken = regexp.MustCompile(`^[0-9]{8}-[0-9]{6}-[0-9a-f]{24}$`)

// errDraftGone answers a step whose upload is unknown, of another project,
// imported already or swept.
var errDraftGone = notFound("this upload is no longer here (it was imported, or left for more than a day): upload the file again")

// newImportDraft records a kept upload as a draft of the session's project.
func (s *Server) newImportDraft(path string, sess *contacts.Session, name string, opts contacts.ImportOptions) (*importDraft, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("import draft: %w", err)
	}
	token := strings.TrimSuffix(filepath.Base(path), ".csv")
	if !draftToken.MatchString(token) {
		return nil, fmt.Errorf("import draft: unexpected upload name %q", path)
	}
	d := &importDraft{Token: token, Path: path, ProjectID: sess.ProjectID, UserID: sess.UserID, FileName: name,
		Size: st.Size(), Options: opts, CreatedAt: time.Now().UTC()}
	return d, s.saveImportDraft(d)
}

func (s *Server) saveImportDraft(d *importDraft) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	tmp := strings.TrimSuffix(d.Path, ".csv") + draftSuffix + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return fmt.Errorf("save import draft: %w", err)
	}
	if err := os.Rename(tmp, strings.TrimSuffix(d.Path, ".csv")+draftSuffix); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save import draft: %w", err)
	}
	return nil
}

// importDraft loads the project's draft named by token.
func (s *Server) importDraft(token string, projectID int64) (*importDraft, error) {
	if !draftToken.MatchString(token) {
		return nil, errDraftGone
	}
	dir, err := s.importDir()
	if err != nil {
		return nil, err
	}
	base := filepath.Join(dir, token)
	raw, err := os.ReadFile(base + draftSuffix)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errDraftGone
	}
	if err != nil {
		return nil, fmt.Errorf("read import draft: %w", err)
	}
	d := &importDraft{}
	if err := json.Unmarshal(raw, d); err != nil {
		return nil, fmt.Errorf("read import draft %s: %w", token, err)
	}
	if d.ProjectID != projectID {
		return nil, errDraftGone
	}
	d.Token, d.Path = token, base+".csv"
	if _, err := os.Stat(d.Path); err != nil {
		return nil, errDraftGone
	}
	return d, nil
}

// dropImportDraft forgets a draft; with its file unless the import took it.
func dropImportDraft(d *importDraft, withFile bool) {
	os.Remove(strings.TrimSuffix(d.Path, ".csv") + draftSuffix)
	if withFile {
		os.Remove(d.Path)
	}
}

// sweepImportDrafts removes drafts (and their files) older than the TTL.
// Files without a draft belong to imports (kept for a resume) and stay.
func (s *Server) sweepImportDrafts(now time.Time) {
	dir, err := s.importDir()
	if err != nil {
		return
	}
	drafts, _ := filepath.Glob(filepath.Join(dir, "*"+draftSuffix))
	for _, p := range drafts {
		st, err := os.Stat(p)
		if err != nil || now.Sub(st.ModTime()) < importDraftTTL {
			continue
		}
		token := strings.TrimSuffix(filepath.Base(p), draftSuffix)
		if !draftToken.MatchString(token) {
			continue
		}
		os.Remove(filepath.Join(dir, token+".csv"))
		os.Remove(p)
		s.log.Info("removed an import upload never started", "token", token)
	}
}

// csvHead is a file's header and its first rows, read as an import reads
// them, for the mapping step.
type csvHead struct {
	Header    []string
	Samples   [][]string
	Encoding  string
	Delimiter string
}

// readCSVHead reads the header and up to n rows. A file that is not CSV
// text or has no header is a *ValidationError on "file".
func readCSVHead(path string, n int) (*csvHead, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	rd, err := csvimport.NewReader(f, csvimport.DefaultLimits)
	if errors.Is(err, csvimport.ErrNotText) {
		return nil, contacts.Invalid("file", err.Error())
	}
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	h := &csvHead{Encoding: rd.Encoding(), Delimiter: delimiterName(rd.Delimiter())}
	for len(h.Samples) < n {
		rec, err := rd.Read()
		var re *csvimport.RecordError
		switch {
		case errors.Is(err, io.EOF):
			if h.Header == nil {
				return nil, contacts.Invalid("file", "the file is empty: it needs a header row naming its columns")
			}
			return h, nil
		case errors.As(err, &re):
			if h.Header == nil {
				return nil, contacts.Invalid("file", "the header row cannot be read: "+re.Err.Error())
			}
			if re.Fatal() {
				return h, nil
			}
		case err != nil:
			return nil, fmt.Errorf("read upload: %w", err)
		case rec.Blank():
		case h.Header == nil:
			h.Header = rec.Fields
		default:
			h.Samples = append(h.Samples, rec.Fields)
		}
	}
	return h, nil
}

func delimiterName(b byte) string {
	switch b {
	case ',':
		return "comma"
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	case '|':
		return "pipe"
	}
	return string(rune(b))
}
