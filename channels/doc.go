// Package channels will hold the Adapter contract that every channel (widget,
// live chat, Telegram, Messenger, WhatsApp) implements, one subpackage per
// channel. Nothing is implemented here yet.
package channels
