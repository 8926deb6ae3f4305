package csvimport

// aliasList gives, per field, the normalised headers that fill it, best
// first: when several columns fill one field, a row takes the first
// non-empty one in this order (a mobile number before a home number).
// Headers come from the common shapes: plain names, Switchboard's export,
// Google Contacts (First Name, E-mail 1 - Value, Phone 1 - Value,
// Organization Name, Labels), Outlook (E-mail Address, Mobile Phone,
// Business Phone, Company, Categories) and HubSpot (Email, Phone Number,
// Company Name, Record ID).
var aliasList = map[string][]string{
	"first_name": {"first name", "firstname", "given name", "first", "forename", "fname", "prenom", "vorname", "nombre"},
	"last_name":  {"last name", "lastname", "surname", "family name", "last", "lname", "nom", "nachname", "apellido", "apellidos"},
	"name":       {"name", "full name", "fullname", "display name", "contact name", "contact", "customer name", "person"},
	"email": {"email", "e mail", "email address", "e mail address", "e mail 1 value", "email 1 value", "primary email",
		"email 1", "work email", "business email", "personal email", "mail", "e mail 2 value", "e mail 2 address",
		"email 2", "e mail 3 value", "e mail 3 address"},
	"phone": {"phone", "phone number", "mobile", "mobile phone", "mobile phone number", "mobile number", "cell",
		"cell phone", "cellphone", "telephone", "tel", "phone 1 value", "primary phone", "work phone", "business phone",
		"home phone", "phone 2 value", "business phone 2", "home phone 2", "other phone", "company main phone",
		"phone 3 value"},
	"company": {"company", "company name", "organization", "organisation", "organization name", "organisation name",
		"organization 1 name", "org", "account", "account name", "employer", "business name"},
	"external_id": {"external id", "externalid", "ext id", "record id", "contact id", "customer id", "crm id"},
	"channel":     {"channel", "source channel"},
	"tags":        {"tags", "tag", "labels", "label", "categories", "group membership", "groups"},
	"notes":       {"notes", "note", "comments", "comment", "description", "remarks"},
	"context":     {"context"},
	"country": {"country", "country region", "country code", "address 1 country", "business country region",
		"home country region", "other country region", "ip country"},
	"region": {"region", "state", "state region", "province", "address 1 region", "business state", "home state",
		"other state"},
	"city":           {"city", "town", "address 1 city", "business city", "home city", "other city", "ip city"},
	"do_not_contact": {"do not contact", "donotcontact", "dnc", "opt out", "opted out", "unsubscribed"},
	"telegram_id":    {"telegram id", "telegram", "telegram user id"},
	"instagram_id":   {"instagram id", "instagram", "instagram user id", "ig id"},
	"facebook_id":    {"facebook id", "facebook", "messenger id", "messenger", "psid", "facebook psid"},
	"whatsapp_id":    {"whatsapp id", "whatsapp", "whatsapp number", "wa id"},
	"memories":       {"memories", "memory"},
}

// readOnly are columns of Switchboard's export that describe a stored
// contact rather than what to import: ids, timestamps and derived values.
var readOnly = map[string]bool{
	"id": true, "project id": true, "created at": true, "updated at": true, "lead status": true, "lead score": true,
	"last seen at": true, "last inbound at": true, "last outbound at": true, "conversation count": true,
	"learned context": true, "sources": true, "conflicts": true, "identities": true, "version": true,
}

type alias struct {
	field string
	rank  int
}

var aliases = func() map[string]alias {
	m := map[string]alias{}
	for f, names := range aliasList {
		for i, n := range names {
			m[n] = alias{f, i + 1}
		}
	}
	return m
}()
