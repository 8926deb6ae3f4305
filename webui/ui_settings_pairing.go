package webui

import "html/template"

// pairingQR is a WhatsApp pairing's QR code: the code and the PNG the page
// shows (the same image GET /api/v1/channels/{id}/pairing gives the
// page's script as it polls).
type pairingQR struct {
	Code string
	// PNG is a data: URL the server drew from WhatsApp's code; it is
	// marked safe so html/template keeps it in the img's src.
	PNG template.URL
}

func newPairingQR(code string) pairingQR {
	v := qrView("", code)
	if v.QRPNG == nil {
		return pairingQR{}
	}
	return pairingQR{Code: code, PNG: template.URL(*v.QRPNG)}
}

// pairingStates says what a pairing state means, as the page shows it
// (static/settings.js has the same words for the states it polls).
var pairingStates = map[string]string{
	"unpaired":   "not linked",
	"pairing":    "waiting for the phone to scan or enter the code",
	"connected":  "connected",
	"offline":    "linked, connection down (reconnecting)",
	"logged_out": "logged out by WhatsApp: link the phone again",
}

// StateLabel is the pairing state in words.
func (p pairingData) StateLabel() string {
	if l, ok := pairingStates[p.State]; ok {
		return l
	}
	return p.State
}
