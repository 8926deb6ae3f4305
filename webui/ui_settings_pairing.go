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
