package textscan

// nameStop are words that follow "I'm", "soy", "ich bin", "je suis", "sou"
// and the like without being names: states, roles, nationalities, fillers.
// Folded (lower case, no accents).
var nameStop = setOf(
	// en
	"a", "an", "the", "i", "me", "my", "you", "your", "he", "she", "we", "they", "it", "this", "that", "here", "there",
	"fine", "good", "great", "ok", "okay", "well", "not", "no", "yes", "so", "very", "really", "just", "still", "also", "too",
	"interested", "looking", "trying", "calling", "writing", "wondering", "having", "going", "getting", "waiting", "asking",
	"reaching", "contacting", "messaging", "texting", "emailing", "planning", "thinking", "hoping", "new", "back", "sorry",
	"happy", "glad", "sure", "ready", "available", "busy", "free", "from", "in", "at", "on", "with", "for", "about", "to",
	"customer", "client", "student", "teacher", "doctor", "nurse", "owner", "manager", "member", "user", "patient",
	"american", "british", "english", "spanish", "german", "french", "portuguese", "brazilian", "mexican", "italian",
	"canadian", "irish", "scottish", "argentinian", "colombian", "chilean", "peruvian", "dutch", "swiss", "austrian",
	"confused", "frustrated", "upset", "angry", "disappointed", "excited", "curious", "afraid", "worried", "done",
	"and", "or", "but", "if", "what", "who", "how", "why", "when", "where", "hi", "hello", "hey", "thanks", "thank",
	"please", "regarding", "re", "one", "someone", "somebody", "nobody", "all", "both", "only", "currently", "already",
	"actually", "definitely", "probably", "maybe", "glad", "pleased", "delighted", "allergic", "vegan", "vegetarian",
	"pregnant", "retired", "married", "single", "unemployed", "self", "located", "based", "moving", "traveling",
	"travelling", "staying", "living", "working", "coming", "leaving", "available", "unable", "able", "the", "bot",
	"human", "person", "robot", "admin", "administrator", "system", "developer", "root", "ceo", "cto", "founder",
	"his", "her", "their", "our", "name", "email", "phone", "number", "it's", "im", "sir", "madam", "tired", "sick",
	"urgent", "important", "ridiculous", "unacceptable", "crazy", "insane", "amazing", "awful", "terrible", "serious",
	"annoying", "weird", "strange", "confusing", "correct", "wrong", "right", "true", "false", "perfect", "impossible",
	"outrageous", "absurd", "frustrating", "disgusting", "embarrassing", "fantastic", "awesome", "exactly", "literally",
	"tomorrow", "today", "tonight", "later", "now", "anytime", "asap", "morning", "afternoon", "evening", "back",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekdays", "whenever", "again",
	"manana", "luego", "despues", "hoy", "morgen", "heute", "spater", "demain", "aujourd'hui", "amanha", "hoje", "depois",
	// es
	"de", "del", "el", "la", "los", "las", "un", "una", "uno", "yo", "tu", "su", "mi", "muy", "bien", "mal", "nuevo",
	"nueva", "cliente", "clienta", "interesado", "interesada", "estudiante", "profesor", "profesora", "medico", "medica",
	"espanol", "espanola", "mexicano", "mexicana", "argentino", "argentina", "colombiano", "colombiana", "chileno",
	"chilena", "peruano", "peruana", "aqui", "alla", "que", "quien", "como", "y", "o", "pero", "con", "en", "por", "para",
	"dueno", "duena", "gerente", "socio", "socia", "usuario", "usuaria", "paciente", "hola", "buenas", "gracias", "si",
	"alergico", "alergica", "casado", "casada", "soltero", "soltera", "autonomo", "autonoma", "el", "ella", "nosotros",
	// de
	"der", "die", "das", "ein", "eine", "einer", "ich", "du", "sie", "er", "wir", "ihr", "nicht", "kein", "keine", "sehr",
	"gut", "schon", "auch", "noch", "hier", "da", "neu", "neue", "kunde", "kundin", "student", "studentin", "lehrer",
	"lehrerin", "arzt", "arztin", "mitglied", "inhaber", "inhaberin", "geschaftsfuhrer", "geschaftsfuhrerin", "deutscher",
	"deutsche", "osterreicher", "osterreicherin", "schweizer", "schweizerin", "interessiert", "und", "oder", "aber", "mit",
	"aus", "bei", "von", "fur", "im", "am", "zu", "hallo", "danke", "ja", "nein", "leider", "gerade", "jetzt", "allergisch",
	"verheiratet", "selbststandig", "rentner", "rentnerin", "patient", "patientin", "mieter", "mieterin", "frau", "herr",
	// fr
	"le", "les", "une", "je", "moi", "vous", "il", "elle", "nous", "pas", "tres", "bien", "nouveau", "nouvelle",
	"interesse", "interessee", "etudiant", "etudiante", "client", "cliente", "francais", "francaise", "belge", "suisse",
	"canadien", "canadienne", "ici", "la", "et", "ou", "mais", "avec", "dans", "chez", "pour", "sur", "bonjour", "merci",
	"oui", "desole", "desolee", "content", "contente", "ravi", "ravie", "proprietaire", "gerant", "gerante", "medecin",
	"allergique", "enceinte", "celibataire", "retraite", "retraitee", "en", "au", "aux", "du", "des",
	// pt
	"o", "os", "as", "um", "uma", "eu", "voce", "ele", "ela", "nos", "nao", "muito", "bem", "novo", "nova", "cliente",
	"interessado", "interessada", "estudante", "professor", "professora", "brasileiro", "brasileira", "portugues",
	"portuguesa", "aqui", "e", "ou", "mas", "com", "em", "na", "no", "do", "da", "dos", "das", "pra", "para", "ola",
	"oi", "obrigado", "obrigada", "sim", "dono", "dona", "gerente", "socio", "socia", "alergico", "alergica", "casado",
	"casada", "solteiro", "solteira", "aposentado", "aposentada", "usuario", "usuaria", "paciente", "de",
)

// businessWords start a business's name, so "sou a Mariana do Restaurante
// Tasca" stops at Mariana: the particle leads to a place of work, not a
// surname.
var businessWords = setOf("restaurante", "restaurant", "clinica", "clinic", "hotel", "bar", "cafe", "banco", "bank", "grupo", "group",
	"empresa", "constructora", "construtora", "brasserie", "praxis", "tienda", "loja", "farmacia", "pharmacie", "apotheke", "studio",
	"estudio", "agencia", "agence", "agentur", "escola", "escuela", "colegio", "academia", "oficina", "taller", "boutique", "salon",
	"firma", "cabinet", "societe", "universidad", "universidade", "universite", "universitat", "university", "hospital", "kanzlei",
	"gmbh", "ltda", "inc", "ltd", "team", "equipo", "equipe")

// nameParticles may sit between the parts of a surname.
var nameParticles = setOf("de", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den", "ter", "y", "e", "st", "bin", "al", "el", "mac", "zu")

// titles precede a name and are not part of it; after a title alone, one
// word is a surname ("ich bin Frau Müller").
var titles = setOf("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sr", "sra", "srta", "don", "dona", "dna", "herr", "frau", "monsieur", "madame", "mme", "mlle", "m", "senhor", "senhora")

// firstNames is a small gazetteer of common first names, consulted only
// when a weak introduction ("im maria", "soy juan") is typed in lower case.
var firstNames = setOf(
	"james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas", "charles", "chris",
	"christopher", "daniel", "matthew", "anthony", "mark", "paul", "steven", "steve", "andrew", "kevin", "brian",
	"george", "tim", "timothy", "ryan", "jacob", "gary", "eric", "jonathan", "stephen", "larry", "justin", "scott",
	"brandon", "ben", "benjamin", "sam", "samuel", "frank", "greg", "gregory", "alex", "alexander", "patrick", "jack",
	"dennis", "tyler", "aaron", "adam", "henry", "nathan", "peter", "zach", "kyle", "noah", "ethan", "jeremy", "mike",
	"tom", "tony", "joe", "bob", "bill", "dave", "jim", "nick", "luke", "liam", "oliver", "harry", "charlie", "oscar",
	"mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen", "nancy",
	"lisa", "betty", "margaret", "sandra", "ashley", "kim", "kimberly", "emily", "donna", "michelle", "dorothy",
	"carol", "amanda", "melissa", "deborah", "stephanie", "rebecca", "sharon", "laura", "cynthia", "kathleen", "amy",
	"angela", "shirley", "anna", "emma", "olivia", "sophia", "sophie", "isabella", "mia", "charlotte", "amelia",
	"grace", "chloe", "lucy", "kate", "katie", "jane", "rachel", "hannah", "megan", "jenny", "julia", "julie", "helen",
	"maria", "jose", "juan", "antonio", "manuel", "francisco", "javier", "carlos", "miguel", "pedro", "pablo", "jorge",
	"luis", "sergio", "fernando", "alejandro", "rafael", "diego", "andres", "raul", "alberto", "enrique", "ramon",
	"ricardo", "roberto", "eduardo", "oscar", "ivan", "ruben", "adrian", "alvaro", "mario", "jesus", "angel", "victor",
	"carmen", "ana", "isabel", "lucia", "marta", "cristina", "elena", "paula", "sara", "laura", "raquel", "pilar",
	"rosa", "teresa", "silvia", "patricia", "beatriz", "monica", "andrea", "sofia", "valentina", "camila", "daniela",
	"gabriela", "mariana", "natalia", "lorena", "veronica", "alicia", "nuria", "irene", "claudia", "ines", "rocio",
	"joao", "tiago", "thiago", "lucas", "gabriel", "rafael", "felipe", "bruno", "gustavo", "leonardo", "rodrigo",
	"vinicius", "matheus", "mateus", "fabio", "marcelo", "paulo", "andre", "renato", "luiz", "marcos", "caio",
	"joana", "beatriz", "fernanda", "juliana", "aline", "leticia", "larissa", "amanda", "bruna", "camila", "carolina",
	"vanessa", "priscila", "renata", "tatiana", "rita", "catarina", "mafalda", "leonor", "francisca", "margarida",
	"hans", "peter", "klaus", "jurgen", "wolfgang", "michael", "thomas", "andreas", "stefan", "markus", "christian",
	"martin", "frank", "uwe", "jens", "tobias", "jan", "lukas", "felix", "jonas", "maximilian", "max", "florian",
	"sebastian", "matthias", "dirk", "sven", "oliver", "anja", "ursula", "petra", "sabine", "monika", "claudia",
	"susanne", "andrea", "birgit", "katrin", "julia", "lena", "lea", "laura", "anna", "hannah", "leonie", "nina",
	"jean", "pierre", "michel", "philippe", "alain", "nicolas", "francois", "jacques", "bernard", "eric", "julien",
	"antoine", "louis", "hugo", "thomas", "mathieu", "olivier", "sebastien", "vincent", "guillaume", "remi",
	"marie", "nathalie", "isabelle", "sylvie", "catherine", "francoise", "valerie", "christine", "sandrine", "celine",
	"camille", "manon", "chloe", "lea", "ines", "juliette", "amelie", "claire", "aurelie", "elodie", "emilie", "pauline",
	"marc", "luc", "paul", "yves", "denis", "didier", "laurent", "thierry", "pascal", "patrice", "fabrice", "benoit",
	"arnaud", "cedric", "romain", "maxime", "quentin", "alexandre", "clement", "theo", "enzo", "jules", "lucas", "adrien",
	"anne", "sophie", "julie", "laure", "helene", "agnes", "corinne", "veronique", "martine", "brigitte", "monique", "lucie",
	"ahmed", "mohamed", "ali", "fatima", "aisha", "omar", "yusuf", "wei", "li", "chen", "yuki", "hiro", "priya", "raj",
)

// placeNames are countries and cities people say they work in or come
// from, so "trabajo en Madrid" is not read as an employer. Folded.
var placeNames = setOf(
	"madrid", "barcelona", "valencia", "sevilla", "bilbao", "malaga", "zaragoza", "lisboa", "lisbon", "porto", "braga",
	"sao paulo", "rio", "rio de janeiro", "belo horizonte", "curitiba", "brasilia", "salvador", "recife", "fortaleza",
	"berlin", "munchen", "munich", "hamburg", "koln", "cologne", "frankfurt", "stuttgart", "dusseldorf", "wien", "vienna",
	"zurich", "paris", "lyon", "marseille", "toulouse", "nice", "bordeaux", "lille", "nantes", "bruxelles", "brussels",
	"london", "manchester", "birmingham", "leeds", "glasgow", "edinburgh", "dublin", "new york", "nyc", "los angeles",
	"chicago", "boston", "miami", "austin", "seattle", "san francisco", "mexico", "cdmx", "buenos aires", "bogota",
	"lima", "santiago", "montevideo", "quito", "caracas", "remote", "home",
)
