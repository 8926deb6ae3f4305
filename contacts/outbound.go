package contacts

import (
	"context"
	"errors"
	"fmt"
)

// Outbound message statuses.
const (
	StatusQueued = "queued"
	StatusSent   = "sent"
	// StatusStored: kept for a channel that delivers by polling (the widget).
	StatusStored = "stored"
	StatusFailed = "failed"
)

// Conversation returns one conversation of the project.
func (s *Service) Conversation(ctx context.Context, projectID, id int64) (*Conversation, error) {
	c, err := s.store.GetConversation(ctx, projectID, id)
	if err != nil {
		return nil, fmt.Errorf("conversation %d: %w", id, err)
	}
	return c, nil
}

// RecordOutbound stores a bot or staff message in a conversation, queued for
// sending. key makes it idempotent: a second call with the same key returns
// the first message and existed=true, so a retried job never sends twice.
func (s *Service) RecordOutbound(ctx context.Context, projectID, conversationID int64, sender, text, key string) (m *Message, existed bool, err error) {
	conv, err := s.Conversation(ctx, projectID, conversationID)
	if err != nil {
		return nil, false, err
	}
	m = &Message{ConversationID: conversationID, Direction: DirectionOutbound, SenderKind: sender, Text: text,
		Channel: conv.Channel, ChannelMessageID: key, Status: StatusQueued, CreatedAt: s.now()}
	err = s.store.AddMessage(ctx, projectID, m)
	if errors.Is(err, ErrConflict) && key != "" {
		m, err = s.store.MessageByChannelID(ctx, projectID, conv.Channel, key)
		return m, true, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("record outbound message: %w", err)
	}
	return m, false, nil
}

// SetMessageStatus records an outbound message's delivery status and the
// channel's id for it (when known).
func (s *Service) SetMessageStatus(ctx context.Context, projectID, id int64, status, peerID string) error {
	return s.store.SetMessageStatus(ctx, projectID, id, status, peerID)
}

// ReceiptRank orders delivery statuses so receipts, which may arrive out of
// order, only move a message forward: sent, then delivered, then read. A
// failure ranks with sent (a peer may fail what it had accepted).
func ReceiptRank(status string) int {
	switch status {
	case "delivered":
		return 2
	case "read":
		return 3
	default:
		return 1
	}
}

// DeliveryReceipt applies a channel's receipt for a message it knows as
// peerID. A receipt for a message sent from elsewhere, or one overtaken by a
// later receipt, is ignored.
func (s *Service) DeliveryReceipt(ctx context.Context, projectID int64, peerID, status string) error {
	err := s.store.SetStatusByPeerID(ctx, projectID, peerID, status)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Assign hands a conversation to the bot or to staff.
func (s *Service) Assign(ctx context.Context, projectID, conversationID int64, assignee string) error {
	if assignee != AssigneeBot && assignee != AssigneeStaff {
		return Invalid("to", "must be bot or staff")
	}
	return s.store.SetConversationAssignee(ctx, projectID, conversationID, assignee)
}

// CloseConversation closes a conversation (staff, or the scheduler).
func (s *Service) CloseConversation(ctx context.Context, projectID, id int64) error {
	return s.store.CloseConversation(ctx, projectID, id, s.now())
}

// VisitorMessages lists what a channel visitor (a widget's visitor id) may
// see: the messages of their conversations on that channel after afterID.
func (s *Service) VisitorMessages(ctx context.Context, projectID int64, channel Channel, externalID string, afterID int64) ([]Message, error) {
	return s.store.MessagesOfIdentity(ctx, projectID, channel, externalID, afterID, 200)
}

// ContactByIdentity returns the id of the contact behind a channel identity
// (a widget visitor id), or 0 when there is none yet.
func (s *Service) ContactByIdentity(ctx context.Context, projectID int64, channel Channel, externalID string) (int64, error) {
	id, err := s.store.ContactByIdentity(ctx, projectID, channel, externalID)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	return id, err
}
