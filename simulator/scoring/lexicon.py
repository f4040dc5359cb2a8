"""Word lists for the detectors: feelings, spelling repairs, sentence openers."""

from __future__ import annotations

# Feeling and stance words a reflection or validation may name. Broad on purpose: clients and
# trainees use everyday words for feelings far more than clinical ones.
FEELINGS = frozenset(
    [
        "afraid", "alone", "ambivalent", "angry", "annoyed", "anxious", "apprehensive", "ashamed",
        "awkward", "betrayed", "bitter", "blamed", "bored", "braced", "broken", "burdened",
        "cautious", "cheated", "confused", "conflicted", "crushed", "defeated", "deflated",
        "demoralised", "demoralized", "depressed", "desperate", "devastated", "disappointed",
        "discouraged", "disgusted", "disheartened", "dismissed", "disrespected", "distressed",
        "distrustful", "down", "drained", "dreading", "embarrassed", "empty", "exasperated",
        "excited", "exhausted", "exposed", "flat", "frightened", "frustrated", "furious",
        "guarded", "guilty", "happy", "heartbroken", "helpless", "hesitant", "hopeful", "hopeless",
        "humiliated", "hurt", "ignored", "impatient", "inadequate", "insecure", "insulted",
        "invisible", "irritated", "isolated", "jealous", "judged", "lonely", "lost", "low",
        "miserable", "misunderstood", "nervous", "numb", "offended", "overwhelmed", "panicked",
        "panicky", "patronised", "patronized", "pissed", "powerless", "pressured", "proud",
        "pushed", "rattled", "raw", "rejected", "relieved", "reluctant", "resentful", "resigned",
        "rushed", "sad", "scared", "shaken", "shamed", "sceptical", "skeptical", "sick", "small",
        "sore", "stressed", "stuck", "suspicious", "tense", "terrified", "threatened", "tired",
        "torn", "trapped", "uncertain", "uncomfortable", "underestimated", "understood", "unheard",
        "unimportant", "unsafe", "unseen", "unsure", "upset", "uneasy", "unsettled", "useless",
        "vulnerable", "wary", "weary", "worried", "worthless", "wounded",
    ]
)

# Words that carry feeling when they follow "you" in a clause ("you want", "you care").
STANCE_VERBS = frozenset(
    [
        "want", "wanted", "wish", "hope", "hoped", "care", "cared", "need", "needed", "miss",
        "missed", "hate", "hated", "dread", "love", "loved", "fear", "feared", "worry", "worried",
        "doubt", "doubted", "believe", "wonder", "struggle", "struggled",
    ]
)

# Common spellings trainees type fast: missing apostrophes, phone shorthand, frequent typos.
SPELLING = {
    "dont": "don't", "cant": "can't", "didnt": "didn't", "doesnt": "doesn't", "isnt": "isn't",
    "wasnt": "wasn't", "arent": "aren't", "werent": "weren't", "havent": "haven't",
    "hasnt": "hasn't", "hadnt": "hadn't", "wouldnt": "wouldn't", "couldnt": "couldn't",
    "shouldnt": "shouldn't", "wont": "won't", "im": "i'm", "ive": "i've",
    "youre": "you're", "youve": "you've", "youd": "you'd", "youll": "you'll", "thats": "that's",
    "whats": "what's", "theyre": "they're", "lets": "let's", "hows": "how's", "heres": "here's",
    "theres": "there's", "u": "you", "ur": "your", "r": "are", "ya": "you", "cuz": "because",
    "coz": "because", "cos": "because", "bc": "because", "becuase": "because",
    "becasue": "because", "gonna": "going to", "wanna": "want to", "gotta": "got to",
    "kinda": "kind of", "sorta": "sort of", "alot": "a lot", "sory": "sorry", "soory": "sorry",
    "sorrry": "sorry", "realy": "really", "definately": "definitely", "wierd": "weird",
    "beleive": "believe", "belive": "believe", "freind": "friend", "thier": "their",
    "untill": "until", "undrstand": "understand", "understnad": "understand",
    "frustated": "frustrated", "dissapointed": "disappointed", "disapointed": "disappointed",
    "embarassed": "embarrassed", "embarrased": "embarrassed", "anxous": "anxious",
    "srry": "sorry", "pls": "please",
    "ok": "okay", "k": "okay", "yeah": "yes", "yep": "yes",
    "yea": "yes", "mhm": "mm", "mmm": "mm", "hmm": "mm", "uh": "um", "er": "um", "erm": "um",
}

# After "your", these words show the writer meant "you're" ("your right", "your not").
YOURE_NEXT = frozenset(
    [
        "right", "wrong", "not", "so", "really", "just", "very", "too", "being", "still", "all",
        "both", "welcome", "always", "never", "sure", "allowed", "here", "doing", "going",
        "saying", "telling", "feeling", "trying", "getting", "having", "making", "asking",
        "looking", "thinking", "talking", "worried", "angry", "upset", "scared", "annoyed",
        "frustrated", "hurt", "tired", "a", "an", "the", "quite", "pretty", "clearly", "obviously",
        "kind", "sort", "probably", "definitely", "basically",
    ]
)

# Openers that carry no content and may precede any sentence in speech.
FILLERS = frozenset(
    [
        "so", "and", "but", "well", "okay", "um", "mm", "right", "now", "oh", "alright", "yes",
        "no", "then", "also", "just",
    ]
)

AUXILIARIES = frozenset(
    [
        "do", "does", "did", "are", "is", "was", "were", "have", "has", "had", "can", "could",
        "would", "will", "should", "shall", "may", "might", "am", "don't", "doesn't", "didn't",
        "aren't", "isn't", "wasn't", "weren't", "haven't", "hasn't", "won't", "wouldn't", "can't",
        "couldn't", "shouldn't",
    ]
)

WH_WORDS = frozenset(["what", "how", "why", "where", "when", "which", "who", "whom", "whose"])

# Base verbs that, opening a sentence, make it an instruction to the client.
IMPERATIVE_VERBS = frozenset(
    [
        "try", "take", "make", "go", "call", "write", "keep", "stop", "start", "avoid", "remember",
        "consider", "use", "cut", "drink", "eat", "get", "put", "give", "set", "plan", "practise",
        "practice", "speak", "ask", "book", "join", "find", "focus", "breathe", "relax", "walk",
        "read", "text", "phone", "email", "visit", "exercise", "sleep", "limit", "reduce", "quit",
        "leave", "change", "schedule", "pick", "bring",
    ]
)

STOPWORDS = frozenset(
    [
        "a", "an", "the", "and", "or", "but", "so", "if", "of", "to", "in", "on", "at", "for",
        "with", "about", "from", "by", "as", "is", "are", "was", "were", "be", "been", "being",
        "am", "do", "does", "did", "have", "has", "had", "it", "its", "it's", "that", "this",
        "these", "those", "there", "then", "than", "i", "me", "my", "mine", "you", "your", "yours",
        "we", "us", "our", "they", "them", "their", "he", "him", "his", "she", "her", "what",
        "which", "who", "how", "when", "where", "why", "not", "no", "yes", "just", "really",
        "very", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "i'm",
        "you're", "i've", "you've", "don't", "didn't", "doesn't", "can't", "won't", "isn't",
        "wasn't", "okay", "like", "know", "think", "get", "got", "go", "going", "one", "some",
        "any", "all", "more", "much", "too", "also", "even", "still", "well", "um", "mm", "oh",
    ]
)
