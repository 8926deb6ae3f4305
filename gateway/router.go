// Package gateway is the one path every customer message takes: a channel
// adapter hands it to the Router, which records it on its contact and
// conversation (acknowledging the channel only after that commit), and the
// queued follow-up asks the responder for a reply and sends it back through
// the conversation's channel.
package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/switchboard-oss/switchboard/ai"
	"github.com/switchboard-oss/switchboard/ai/bot"
	"github.com/switchboard-oss/switchboard/ai/guard"
	"github.com/switchboard-oss/switchboard/ai/heuristic"
	"github.com/switchboard-oss/switchboard/channels"
	"github.com/switchboard-oss/switchboard/contacts"
)

// Config wires a Router.
type Config struct {
	Service *contacts.Service
	Queue   contacts.Queue
	// Responder phrases the bot's replies (a model, or the heuristic); when
	// it fails, the heuristic answers instead of going silent.
	Responder ai.Responder
	// Extractor enriches profiles (a model, or the heuristic); nil is the
	// heuristic. Its results always pass ai/guard.
	Extractor ai.Extractor
	// EnrichDebounce is how long a conversation must settle before it is
	// enriched, so a burst of messages costs one run (default 5 s).
	EnrichDebounce time.Duration
	// Senders deliver by channel type (telegram, messenger,
	// whatsapp-cloud...); a type without one (the widget polls) keeps
	// outbound messages stored for the visitor to fetch.
	Senders map[string]channels.Sender
	// Idle closes a conversation after this much silence (default 30 min).
	Idle   time.Duration
	Clock  func() time.Time
	Logger *slog.Logger
}

// Router records inbound messages and runs their follow-ups.
type Router struct {
	cfg               Config
	worker            *Worker
	hub               *Hub
	log               *slog.Logger
	extractor         ai.Extractor
	fallbackExtractor ai.Extractor
	fallbackResponder ai.Responder
}

// Replies the router sends on its own.
const (
	OptOutConfirmation = "You're unsubscribed and won't receive automated messages from us. Reply START to subscribe again."
	OptInConfirmation  = "You're subscribed again. Reply STOP at any time to unsubscribe."
)

// New builds a Router and its worker.
func New(cfg Config) *Router {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Idle <= 0 {
		cfg.Idle = contacts.DefaultConversationIdle
	}
	if cfg.EnrichDebounce <= 0 {
		cfg.EnrichDebounce = 5 * time.Second
	}
	region := cfg.Service.Region()
	r := &Router{cfg: cfg, hub: NewHub(), log: cfg.Logger.With("component", "gateway"),
		fallbackExtractor: guard.Wrap(heuristic.Extractor{Region: region}, region),
		fallbackResponder: bot.Heuristic{Region: region}}
	r.extractor = r.fallbackExtractor
	if cfg.Extractor != nil {
		r.extractor = guard.Wrap(cfg.Extractor, region)
	}
	if r.cfg.Responder == nil {
		r.cfg.Responder = r.fallbackResponder
	}
	r.worker = NewWorker(cfg.Queue, cfg.Clock, cfg.Logger)
	r.worker.Handle(contacts.JobInboundMessage, r.followUp)
	r.worker.Handle(JobSendMessage, r.resend)
	r.worker.Handle(JobEnrich, r.enrich)
	return r
}

// Hub carries live events of stored messages.
func (r *Router) Hub() *Hub { return r.hub }

// Worker is the router's job worker, for tuning and tests.
func (r *Router) Worker() *Worker { return r.worker }

// Run runs queued follow-ups until ctx ends.
func (r *Router) Run(ctx context.Context) { r.worker.Run(ctx) }

// Receive records an inbound message. When it returns without error the
// message and its follow-up job are committed, and the channel may be
// acknowledged; a redelivery returns the stored copy with Duplicate set, and
// an edit of a message never stored comes back with Duplicate and no message.
func (r *Router) Receive(ctx context.Context, in contacts.Inbound) (*contacts.InboundResult, error) {
	res, err := r.cfg.Service.RecordInbound(ctx, in, r.cfg.Idle)
	if in.Edit && errors.Is(err, contacts.ErrNotFound) {
		// An edit of a message from before this channel existed: nothing to
		// update, and the channel must not redeliver it forever.
		return &contacts.InboundResult{Duplicate: true}, nil
	}
	if err != nil {
		return nil, err
	}
	if !res.Duplicate && res.Contact != nil {
		if !res.Edited {
			r.worker.Notify()
		}
		if !res.Edited && res.Conversation != nil && res.Conversation.MessageCount == 1 {
			r.hub.Publish(Event{Kind: EventConversationOpened, ProjectID: in.ProjectID, ContactID: res.Contact.ID, ConversationID: res.Conversation.ID})
		}
		r.hub.Publish(Event{ProjectID: in.ProjectID, ContactID: res.Contact.ID, Message: *res.Message})
	}
	return res, nil
}

// Assign hands a conversation to the bot or to staff (contacts.AssigneeBot,
// contacts.AssigneeStaff) and tells live views.
func (r *Router) Assign(ctx context.Context, projectID, conversationID int64, assignee string) error {
	if err := r.cfg.Service.Assign(ctx, projectID, conversationID, assignee); err != nil {
		return err
	}
	r.publishConversation(ctx, EventConversationAssigned, projectID, conversationID)
	return nil
}

// publishConversation tells live views a conversation changed.
func (r *Router) publishConversation(ctx context.Context, kind string, projectID, conversationID int64) {
	ev := Event{Kind: kind, ProjectID: projectID, ConversationID: conversationID}
	if conv, err := r.cfg.Service.Conversation(ctx, projectID, conversationID); err == nil {
		ev.ContactID = conv.ContactID
	}
	r.hub.Publish(ev)
}

// followUp answers one stored inbound message: an opt-out or opt-in
// confirmation, else the bot's reply unless the bot is off, the contact
// opted out or staff have the conversation. Every message also moves the
// conversation's enrichment.
func (r *Router) followUp(ctx context.Context, job *contacts.QueuedJob) error {
	var p contacts.InboundJob
	if err := json.Unmarshal(job.Payload, &p); err != nil {
		return fmt.Errorf("decode job payload: %w", err)
	}
	svc := r.cfg.Service
	conv, err := svc.Conversation(ctx, job.ProjectID, p.ConversationID)
	if errors.Is(err, contacts.ErrNotFound) {
		return nil // erased since: nothing to answer
	}
	if err != nil {
		return err
	}
	contactID := p.ContactID
	if conv.ContactID != 0 {
		contactID = conv.ContactID // a merge since moved the conversation
	}
	contact, err := svc.GetContact(ctx, job.ProjectID, contactID)
	if errors.Is(err, contacts.ErrNotFound) {
		return nil // erased since: nothing to answer
	}
	if err != nil {
		return err
	}
	if err := r.queueEnrichment(ctx, job.ProjectID, conv); err != nil {
		return err
	}
	var text string
	var handoff bool
	switch {
	case p.OptedOut:
		text = OptOutConfirmation
	case p.OptedIn:
		text = OptInConfirmation
	case !contact.MayReceiveAutomated() || conv.Assignee == contacts.AssigneeStaff:
		return nil
	default:
		reply, err := r.respond(ctx, job.ProjectID, contact, conv, p.MessageID)
		if err != nil || reply == nil {
			return err
		}
		// An LLM takes seconds: the customer may have written STOP, or
		// staff taken over, while the reply was being written.
		if still, err := r.mayAnswer(ctx, job.ProjectID, contact.ID, conv.ID); err != nil || !still {
			return err
		}
		text, handoff = reply.Text, reply.Handoff
	}
	if text != "" {
		lastTry := job.Attempts >= r.worker.MaxAttempts
		if err := r.send(ctx, contact, conv, text, fmt.Sprintf("reply:%d", p.MessageID), lastTry); err != nil {
			return err
		}
	}
	if handoff {
		return r.Assign(ctx, job.ProjectID, conv.ID, contacts.AssigneeStaff)
	}
	return nil
}

// mayAnswer re-reads whether the bot may still answer in a conversation.
func (r *Router) mayAnswer(ctx context.Context, projectID, contactID, conversationID int64) (bool, error) {
	c, err := r.cfg.Service.GetContact(ctx, projectID, contactID)
	if errors.Is(err, contacts.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	conv, err := r.cfg.Service.Conversation(ctx, projectID, conversationID)
	if err != nil {
		return false, err
	}
	return c.MayReceiveAutomated() && conv.Assignee != contacts.AssigneeStaff, nil
}

// maxHistory is how many of the latest turns a responder sees.
const maxHistory = 50

// respond runs the bot on the conversation as it stood at the message: the
// flow decides (hand off, ask, confirm), what the customer gave is stored,
// and the responder phrases the reply, the heuristic standing in when the
// responder fails.
func (r *Router) respond(ctx context.Context, projectID int64, c *contacts.Contact, conv *contacts.Conversation, upTo int64) (*ai.Reply, error) {
	svc := r.cfg.Service
	settings, err := r.BotSettings(ctx, projectID)
	if err != nil || !settings.Enabled {
		return nil, err
	}
	history, err := r.history(ctx, projectID, conv.ID, upTo, maxHistory)
	if err != nil {
		return nil, err
	}
	req := ai.ReplyRequest{ProjectID: projectID, Contact: c, Conversation: conv, History: history, Bot: settings,
		PreviousSummary: r.previousSummary(ctx, c, conv)}
	if len(conv.BotState) > 0 {
		if err := json.Unmarshal(conv.BotState, &req.State); err != nil {
			r.log.Warn("unreadable bot state; starting afresh", "conversation_id", conv.ID, "error", err)
		}
	}
	plan, state := bot.Decide(req, svc.Region())
	req.Plan = plan
	if len(plan.Confirmed) > 0 {
		if _, err := svc.ApplyCollected(ctx, projectID, c.ID, plan.Confirmed); err != nil {
			return nil, err
		}
	}
	if raw, _ := json.Marshal(state); string(raw) != string(conv.BotState) {
		if err := svc.SetBotState(ctx, projectID, conv.ID, raw); err != nil {
			return nil, err
		}
	}
	reply, err := r.cfg.Responder.Respond(ctx, req)
	if err != nil {
		r.log.Warn("responder failed; the heuristic answers", "conversation_id", conv.ID, "error", err)
		if reply, err = r.fallbackResponder.Respond(ctx, req); err != nil {
			return nil, fmt.Errorf("responder: %w", err)
		}
	}
	if plan.Handoff {
		if reply == nil {
			reply = &ai.Reply{}
		}
		reply.Handoff = true
	}
	return reply, nil
}

// history returns up to limit of a conversation's latest turns, oldest
// first, up to and including message upTo (0: all of them).
func (r *Router) history(ctx context.Context, projectID, conversationID, upTo int64, limit int) ([]ai.Turn, error) {
	var history []ai.Turn
	for after := int64(0); ; {
		msgs, err := r.cfg.Service.ListMessages(ctx, projectID, conversationID, after, 500)
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if upTo != 0 && m.ID > upTo {
				break
			}
			history = append(history, ai.Turn{ID: m.ID, Role: m.SenderKind, Text: m.Text, At: m.CreatedAt})
		}
		if len(msgs) < 500 || (upTo != 0 && msgs[len(msgs)-1].ID >= upTo) {
			break
		}
		after = msgs[len(msgs)-1].ID
	}
	if len(history) > limit {
		history = history[len(history)-limit:]
	}
	return history, nil
}

// previousSummary is the summary of the contact's latest earlier
// conversation, so the bot can pick up where it left off.
func (r *Router) previousSummary(ctx context.Context, c *contacts.Contact, conv *contacts.Conversation) string {
	convs, err := r.cfg.Service.ListConversations(ctx, c.ProjectID, c.ID)
	if err != nil {
		return ""
	}
	var best *contacts.Conversation
	for i := range convs {
		k := &convs[i]
		if k.ID != conv.ID && k.Summary != "" && (best == nil || k.StartedAt.After(best.StartedAt)) {
			best = k
		}
	}
	if best == nil {
		return ""
	}
	return best.Summary
}

// send stores the bot's message (once, whatever the retries) and delivers
// it through the conversation's channel.
func (r *Router) send(ctx context.Context, c *contacts.Contact, conv *contacts.Conversation, text, key string, lastTry bool) error {
	m, existed, err := r.cfg.Service.RecordOutbound(ctx, c.ProjectID, conv.ID, contacts.SenderBot, text, key)
	if err != nil {
		return err
	}
	if existed && (m.Status == contacts.StatusSent || m.Status == contacts.StatusStored) {
		return nil
	}
	return r.deliver(ctx, c, conv, m, lastTry)
}

// deliver sends a stored outbound message and records the outcome on it. A
// retryable failure leaves the message queued, with the peer's error, and
// comes back as an error (the caller's job retries); a permanent one, or a
// retryable one on the last try, is recorded as failed with the peer's error.
func (r *Router) deliver(ctx context.Context, c *contacts.Contact, conv *contacts.Conversation, m *contacts.Message, lastTry bool) (err error) {
	svc := r.cfg.Service
	defer func() {
		// Live views see the message with its delivery status.
		if msgs, lerr := svc.ListMessages(ctx, c.ProjectID, conv.ID, m.ID-1, 1); lerr == nil && len(msgs) == 1 {
			r.hub.Publish(Event{ProjectID: c.ProjectID, ContactID: c.ID, Message: msgs[0]})
		}
	}()
	kind := string(conv.Channel)
	if conv.ChannelID != 0 {
		// Two types can share an identity channel (whatsapp and
		// whatsapp-cloud): the conversation's channel instance decides.
		if ch, err := svc.ChannelByID(ctx, conv.ChannelID); err == nil {
			kind = ch.Type
		}
	}
	sender, ok := r.cfg.Senders[kind]
	if !ok {
		return svc.SetMessageStatus(ctx, c.ProjectID, m.ID, contacts.StatusStored, "")
	}
	to, ok := c.Identity(conv.Channel)
	if !ok {
		return svc.SetMessageStatus(ctx, c.ProjectID, m.ID, contacts.StatusFailed+": the contact has no "+string(conv.Channel)+" identity", "")
	}
	peerID, err := sender.Send(ctx, channels.Outbound{ProjectID: c.ProjectID, ChannelID: conv.ChannelID, Channel: conv.Channel, To: to.ExternalID,
		Text: m.Text, ConversationID: conv.ID, MessageID: m.ID})
	if err != nil {
		_, retry := channels.IsRetryable(err)
		retry = retry && !lastTry
		status := contacts.StatusFailed + ": " + err.Error()
		if retry {
			status = contacts.StatusQueued + ": " + err.Error()
		}
		if serr := svc.SetMessageStatus(ctx, c.ProjectID, m.ID, status, ""); serr != nil {
			r.log.Warn("record send failure", "message_id", m.ID, "error", serr)
		}
		if retry {
			return err
		}
		return nil
	}
	return svc.SetMessageStatus(ctx, c.ProjectID, m.ID, contacts.StatusSent, peerID)
}

// StaffReply is what a staff message did.
type StaffReply struct {
	Message *contacts.Message
	// DoNotContact: the contact opted out of automated messages; a person
	// may still write, and the API says so.
	DoNotContact bool
}

// JobSendMessage retries delivering a stored outbound message.
const JobSendMessage = "outbound.send"

type sendJob struct {
	MessageID      int64 `json:"message_id"`
	ConversationID int64 `json:"conversation_id"`
}

// SendAsStaff stores a staff member's message in a conversation and sends it
// through the conversation's channel. A send the peer refused for now is
// queued and retried.
func (r *Router) SendAsStaff(ctx context.Context, projectID, conversationID int64, text string) (*StaffReply, error) {
	if strings.TrimSpace(text) == "" || len([]rune(text)) > 4096 {
		return nil, contacts.Invalid("text", "must be 1 to 4096 characters")
	}
	svc := r.cfg.Service
	conv, err := svc.Conversation(ctx, projectID, conversationID)
	if err != nil {
		return nil, err
	}
	if conv.ContactID == 0 {
		return nil, fmt.Errorf("the contact of conversation %d was erased: %w", conversationID, contacts.ErrConflict)
	}
	c, err := svc.GetContact(ctx, projectID, conv.ContactID)
	if err != nil {
		return nil, err
	}
	m, _, err := svc.RecordOutbound(ctx, projectID, conv.ID, contacts.SenderStaff, text, "")
	if err != nil {
		return nil, err
	}
	if err := r.deliver(ctx, c, conv, m, false); err != nil {
		payload, _ := json.Marshal(sendJob{MessageID: m.ID, ConversationID: conv.ID})
		if qerr := r.cfg.Queue.Enqueue(ctx, &contacts.QueuedJob{ProjectID: projectID, Kind: JobSendMessage, Payload: payload,
			RunAt: svc.Now().Add(backoff(1)), CreatedAt: svc.Now()}); qerr != nil {
			return nil, fmt.Errorf("queue the retry of message %d: %w", m.ID, qerr)
		}
		r.worker.Notify()
	}
	msgs, err := svc.ListMessages(ctx, projectID, conv.ID, m.ID-1, 1)
	if err == nil && len(msgs) == 1 {
		m = &msgs[0] // with its delivery status
	}
	return &StaffReply{Message: m, DoNotContact: c.DoNotContact}, nil
}

// resend is the JobSendMessage handler.
func (r *Router) resend(ctx context.Context, job *contacts.QueuedJob) error {
	var p sendJob
	if err := json.Unmarshal(job.Payload, &p); err != nil {
		return fmt.Errorf("decode job payload: %w", err)
	}
	svc := r.cfg.Service
	conv, err := svc.Conversation(ctx, job.ProjectID, p.ConversationID)
	if err != nil || conv.ContactID == 0 {
		return err
	}
	c, err := svc.GetContact(ctx, job.ProjectID, conv.ContactID)
	if errors.Is(err, contacts.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	msgs, err := svc.ListMessages(ctx, job.ProjectID, conv.ID, p.MessageID-1, 1)
	if err != nil || len(msgs) != 1 || msgs[0].ID != p.MessageID || msgs[0].Status == contacts.StatusSent {
		return err
	}
	return r.deliver(ctx, c, conv, &msgs[0], job.Attempts >= r.worker.MaxAttempts)
}
