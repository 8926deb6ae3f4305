package bot

// phrasebook is the bot's fixed wording in one language. Each text is a
// whole sentence so the parts of a reply can be joined with a space.
type phrasebook struct {
	hi, hiName           string // %s: first name
	welcome, welcomeName string
	howHelp, received    string
	dontKnow, handoff    string
	saved                map[string]string // field -> "saved as %s"
	noProblem            string
	invalid, ask         map[string]string // field -> sentence
}

var phrasebooks = map[string]phrasebook{
	"en": {
		hi: "Hi!", hiName: "Hi %s!",
		welcome: "Welcome back!", welcomeName: "Welcome back, %s!",
		howHelp:  "How can I help you today?",
		received: "Thanks for your message. A member of our team will get back to you here shortly.",
		dontKnow: "I'm not sure about that, and I'd rather not guess. A member of our team will follow up here.",
		handoff:  "Of course — I'm passing you to a member of our team. They'll reply here.",
		saved: map[string]string{
			"email": "Thanks! I've saved your email as %s.",
			"name":  "Nice to meet you, %s!",
			"phone": "Thanks! I've saved your number as %s.",
		},
		noProblem: "No problem.",
		invalid: map[string]string{
			"email": "Hmm, that doesn't look like a valid email address. Could you check it?",
			"name":  "Sorry, I didn't catch your name. Could you write it again?",
			"phone": "Hmm, that doesn't look like a valid phone number. Could you check it, with the country code if you're abroad?",
		},
		ask: map[string]string{
			"email": "May I have your email address so we can follow up if we get disconnected?",
			"name":  "May I have your name?",
			"phone": "May I have a phone number we can reach you on?",
		},
	},
	"es": {
		hi: "¡Hola!", hiName: "¡Hola, %s!",
		welcome: "¡Qué bueno verte de nuevo!", welcomeName: "¡Qué bueno verte de nuevo, %s!",
		howHelp:  "¿En qué puedo ayudarte hoy?",
		received: "Gracias por tu mensaje. Una persona de nuestro equipo te responderá aquí en breve.",
		dontKnow: "No estoy seguro de eso y prefiero no adivinar. Una persona de nuestro equipo te responderá aquí.",
		handoff:  "¡Claro! Te paso con una persona de nuestro equipo. Te responderá aquí.",
		saved: map[string]string{
			"email": "¡Gracias! He guardado tu correo como %s.",
			"name":  "¡Encantado de conocerte, %s!",
			"phone": "¡Gracias! He guardado tu número como %s.",
		},
		noProblem: "No hay problema.",
		invalid: map[string]string{
			"email": "Mmm, esa dirección de correo no parece válida. ¿Podrías revisarla?",
			"name":  "Perdona, no he entendido tu nombre. ¿Podrías escribirlo de nuevo?",
			"phone": "Mmm, ese número no parece válido. ¿Podrías revisarlo, con el prefijo del país si estás fuera?",
		},
		ask: map[string]string{
			"email": "¿Me dejas tu correo electrónico para poder contactarte si se corta la conversación?",
			"name":  "¿Cómo te llamas?",
			"phone": "¿Me dejas un número de teléfono para contactarte?",
		},
	},
	"pt": {
		hi: "Olá!", hiName: "Olá, %s!",
		welcome: "Que bom ver você de novo!", welcomeName: "Que bom ver você de novo, %s!",
		howHelp:  "Como posso ajudar hoje?",
		received: "Obrigado pela mensagem. Uma pessoa da nossa equipe vai responder aqui em breve.",
		dontKnow: "Não tenho certeza sobre isso e prefiro não adivinhar. Uma pessoa da nossa equipe vai responder aqui.",
		handoff:  "Claro! Vou passar você para uma pessoa da nossa equipe. Ela vai responder aqui.",
		saved: map[string]string{
			"email": "Obrigado! Salvei seu e-mail como %s.",
			"name":  "Prazer em conhecer você, %s!",
			"phone": "Obrigado! Salvei seu número como %s.",
		},
		noProblem: "Sem problema.",
		invalid: map[string]string{
			"email": "Hmm, esse e-mail não parece válido. Pode conferir?",
			"name":  "Desculpe, não entendi seu nome. Pode escrever de novo?",
			"phone": "Hmm, esse número não parece válido. Pode conferir, com o código do país se estiver fora?",
		},
		ask: map[string]string{
			"email": "Pode me passar seu e-mail para continuarmos o contato se a conversa cair?",
			"name":  "Qual é o seu nome?",
			"phone": "Pode me passar um número de telefone para contato?",
		},
	},
	"de": {
		hi: "Hallo!", hiName: "Hallo %s!",
		welcome: "Willkommen zurück!", welcomeName: "Willkommen zurück, %s!",
		howHelp:  "Wie kann ich Ihnen heute helfen?",
		received: "Danke für Ihre Nachricht. Jemand aus unserem Team antwortet Ihnen hier in Kürze.",
		dontKnow: "Da bin ich mir nicht sicher, und ich möchte nicht raten. Jemand aus unserem Team meldet sich hier bei Ihnen.",
		handoff:  "Natürlich – ich gebe Sie an jemanden aus unserem Team weiter. Die Antwort kommt hier.",
		saved: map[string]string{
			"email": "Danke! Ich habe Ihre E-Mail-Adresse als %s gespeichert.",
			"name":  "Schön, Sie kennenzulernen, %s!",
			"phone": "Danke! Ich habe Ihre Nummer als %s gespeichert.",
		},
		noProblem: "Kein Problem.",
		invalid: map[string]string{
			"email": "Hmm, das sieht nicht nach einer gültigen E-Mail-Adresse aus. Könnten Sie sie prüfen?",
			"name":  "Entschuldigung, ich habe Ihren Namen nicht verstanden. Könnten Sie ihn noch einmal schreiben?",
			"phone": "Hmm, das sieht nicht nach einer gültigen Telefonnummer aus. Könnten Sie sie prüfen, mit Ländervorwahl, wenn Sie im Ausland sind?",
		},
		ask: map[string]string{
			"email": "Darf ich Ihre E-Mail-Adresse haben, damit wir uns melden können, falls die Verbindung abbricht?",
			"name":  "Darf ich Ihren Namen erfahren?",
			"phone": "Unter welcher Telefonnummer können wir Sie erreichen?",
		},
	},
	"fr": {
		hi: "Bonjour !", hiName: "Bonjour %s !",
		welcome: "Bon retour parmi nous !", welcomeName: "Bon retour parmi nous, %s !",
		howHelp:  "Comment puis-je vous aider aujourd'hui ?",
		received: "Merci pour votre message. Un membre de notre équipe vous répondra ici très bientôt.",
		dontKnow: "Je ne suis pas sûr de la réponse et je préfère ne pas deviner. Un membre de notre équipe vous répondra ici.",
		handoff:  "Bien sûr — je vous mets en relation avec un membre de notre équipe. Il vous répondra ici.",
		saved: map[string]string{
			"email": "Merci ! J'ai enregistré votre e-mail : %s.",
			"name":  "Enchanté, %s !",
			"phone": "Merci ! J'ai enregistré votre numéro : %s.",
		},
		noProblem: "Pas de problème.",
		invalid: map[string]string{
			"email": "Hmm, cette adresse e-mail ne semble pas valide. Pourriez-vous la vérifier ?",
			"name":  "Pardon, je n'ai pas bien compris votre nom. Pourriez-vous l'écrire à nouveau ?",
			"phone": "Hmm, ce numéro ne semble pas valide. Pourriez-vous le vérifier, avec l'indicatif du pays si vous êtes à l'étranger ?",
		},
		ask: map[string]string{
			"email": "Puis-je avoir votre adresse e-mail, pour vous recontacter si la conversation est coupée ?",
			"name":  "Puis-je avoir votre nom ?",
			"phone": "À quel numéro de téléphone pouvons-nous vous joindre ?",
		},
	},
}
