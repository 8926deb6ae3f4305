package sqlstore

import (
	"sync"

	"github.com/switchboard-oss/switchboard/contacts"
)

// senderCache remembers, for senders who wrote recently, the contact and
// open conversation their last message left behind, as the fast path
// committed them. A message from such a sender then needs no read at all:
// the reads were four statements on the reader pool, each its own read
// transaction that, with the writer committing all the time, starts by
// dropping its connection's page cache.
//
// Nothing here is trusted for correctness. The fast path's writes stay
// guarded (the contact's version, which every change of the contact row,
// its identities and tags bumps; the conversation's contact, status,
// assignee and message count), so an entry that anything else overtook
// fails its guard, is dropped, and the message takes the full path. What the
// guards do not cover (a conversation's summary, sentiment and bot state,
// which only the AI writes) the result's users do not read: the queued
// follow-up reads the conversation afresh.
//
// Two generations bound it: entries are found in either, new ones go to the
// young one, and when that is full the old one is dropped whole, so the
// senders of the last few thousand messages stay and memory stays capped.
type senderCache struct {
	mu         sync.Mutex
	young, old map[senderKey]*knownSender
	perGen     int
}

// senderCacheSize is how many senders the cache holds at most: measured at
// about 2 KiB each (a contact with its maps, a conversation), so at most
// 40 MiB, for the senders of the last 10,000 to 20,000 messages. Senders
// beyond it are read from the database as before.
const senderCacheSize = 20000

type senderKey struct {
	projectID, channelID int64
	channel, externalID  string
}

type knownSender struct {
	contact *contacts.Contact // as committed; never changed once cached
	conv    contacts.Conversation
}

func keyOf(in contacts.Inbound) senderKey {
	return senderKey{projectID: in.ProjectID, channelID: in.ChannelID, channel: string(in.Channel), externalID: in.ExternalID}
}

// get returns the sender's entry, or nil.
func (sc *senderCache) get(k senderKey) *knownSender {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if e, ok := sc.young[k]; ok {
		return e
	}
	e, ok := sc.old[k]
	if ok {
		delete(sc.old, k)
		sc.putLocked(k, e)
	}
	return e
}

// put caches what a committed message left behind.
func (sc *senderCache) put(k senderKey, e *knownSender) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	delete(sc.old, k)
	sc.putLocked(k, e)
}

func (sc *senderCache) putLocked(k senderKey, e *knownSender) {
	if sc.perGen == 0 {
		sc.perGen = senderCacheSize / 2
	}
	if _, ok := sc.young[k]; !ok && len(sc.young) >= sc.perGen {
		sc.old, sc.young = sc.young, nil
	}
	if sc.young == nil {
		sc.young = make(map[senderKey]*knownSender, sc.perGen)
	}
	sc.young[k] = e
}

// drop forgets a sender whose entry may be stale.
func (sc *senderCache) drop(k senderKey) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	delete(sc.young, k)
	delete(sc.old, k)
}
