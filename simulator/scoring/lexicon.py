"""Word lists for the detectors: feelings, spelling repairs, sentence openers."""

from __future__ import annotations

from functools import lru_cache

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
    "cannot": "can't",
    "dont": "don't", "cant": "can't", "didnt": "didn't", "doesnt": "doesn't", "isnt": "isn't",
    "wasnt": "wasn't", "arent": "aren't", "werent": "weren't", "havent": "haven't",
    "hasnt": "hasn't", "hadnt": "hadn't", "wouldnt": "wouldn't", "couldnt": "couldn't",
    "shouldnt": "shouldn't", "wont": "won't", "im": "i'm", "ive": "i've", "youre": "you're",
    "youve": "you've", "youd": "you'd", "youll": "you'll", "thats": "that's", "whats": "what's",
    "theyre": "they're", "lets": "let's", "hows": "how's", "heres": "here's", "theres": "there's",
    "u": "you", "ur": "your", "r": "are", "ya": "you", "cuz": "because", "coz": "because",
    "cos": "because", "bc": "because", "becuase": "because", "becasue": "because",
    "gonna": "going to", "wanna": "want to", "gotta": "got to", "kinda": "kind of",
    "sorta": "sort of", "alot": "a lot", "sory": "sorry", "soory": "sorry", "sorrry": "sorry",
    "realy": "really", "reallly": "really", "relly": "really", "definately": "definitely",
    "wierd": "weird", "beleive": "believe", "belive": "believe", "freind": "friend",
    "thier": "their", "untill": "until", "undrstand": "understand", "understnad": "understand",
    "frustated": "frustrated", "dissapointed": "disappointed", "disapointed": "disappointed",
    "embarassed": "embarrassed", "embarrased": "embarrassed", "anxous": "anxious", "srry": "sorry",
    "pls": "please", "plz": "please", "idk": "i don't know", "dunno": "don't know",
    "tho": "though", "thru": "through", "rly": "really", "abt": "about", "wat": "what",
    "wht": "what", "wen": "when", "hw": "how", "shud": "should", "wud": "would", "cud": "could",
    "dnt": "don't", "dont't": "don't", "ppl": "people", "somthing": "something",
    "someting": "something", "teh": "the", "becaus": "because", "bcoz": "because",
    "bcz": "because", "b4": "before", "thx": "thanks", "ty": "thank you", "sry": "sorry",
    "sorryy": "sorry", "wrng": "wrong", "rite": "right", "hav": "have", "gotcha": "got you",
    "lemme": "let me", "gimme": "give me", "ima": "i'm going to", "y'all": "you", "youse": "you",
    "pushin": "pushing", "goin": "going", "doin": "doing", "feelin": "feeling",
    "talkin": "talking", "nothin": "nothing", "somethin": "something", "thnk": "think",
    "tink": "think", "feeel": "feel", "listend": "listened", "listned": "listened",
    "interupted": "interrupted", "interuppted": "interrupted", "mistke": "mistake",
    "misstake": "mistake", "forgt": "forgot", "forgotton": "forgotten", "angery": "angry",
    "embarassing": "embarrassing", "wierdly": "weirdly", "accross": "across",
    "occured": "occurred", "recieve": "receive", "seperate": "separate", "tommorow": "tomorrow",
    "tomorow": "tomorrow", "yesturday": "yesterday", "wich": "which", "whith": "with",
    "wth": "with", "w": "with", "n": "and", "nd": "and", "bout": "about", "em": "them",
    "imma": "i'm going to", "ok": "okay", "k": "okay", "yeah": "yes", "yep": "yes", "yea": "yes",
    "mhm": "mm", "mmm": "mm", "hmm": "mm", "uh": "um", "er": "um", "erm": "um",
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
        "no", "then", "also", "just", "sure", "fine", "cool", "great", "thanks",
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


# Phrases written out that mean the same as a contraction: one canonical form for the detectors,
# so "I am sorry" and "I'm sorry" (and "do not" and "don't") are the same text.
CANONICAL = {
    "i am": "i'm", "you are": "you're", "we are": "we're", "they are": "they're",
    "it is": "it's", "that is": "that's", "there is": "there's", "what is": "what's",
    "who is": "who's", "how is": "how's", "i have": "i've", "you have": "you've",
    "we have": "we've", "they have": "they've", "i would": "i'd", "you would": "you'd",
    "we would": "we'd", "i will": "i'll", "you will": "you'll", "we will": "we'll",
    "it will": "it'll", "let us": "let's", "do not": "don't", "does not": "doesn't",
    "did not": "didn't", "is not": "isn't", "are not": "aren't", "was not": "wasn't",
    "were not": "weren't", "have not": "haven't", "has not": "hasn't", "had not": "hadn't",
    "can not": "can't", "will not": "won't", "would not": "wouldn't",
    "could not": "couldn't", "should not": "shouldn't", "must not": "mustn't",
    "i'm not": "i'm not", "you're not": "you're not",
    "u r": "you're", "you r": "you're", "i m": "i'm", "i ve": "i've", "i d": "i'd",
    "don t": "don't", "can t": "can't", "didn t": "didn't", "it s": "it's", "that s": "that's",
    "you re": "you're", "you ve": "you've", "okay okay": "okay",
}

# American spellings (and a few common variants) -> the British ones the detectors are written in.
_AMERICAN = {
    "color": "colour", "behavior": "behaviour", "behaviors": "behaviours", "favor": "favour",
    "honor": "honour", "humor": "humour", "labor": "labour", "neighbor": "neighbour",
    "center": "centre", "judgment": "judgement", "counselor": "counsellor",
    "counselors": "counsellors", "counseling": "counselling", "canceled": "cancelled",
    "canceling": "cancelling", "traveled": "travelled", "labeled": "labelled",
    "labeling": "labelling", "practicing": "practising", "practiced": "practised",
    "program": "programme", "mom": "mum", "moms": "mums", "gray": "grey", "skeptical": "sceptical",
    "license": "licence", "defense": "defence", "offense": "offence", "fulfill": "fulfil",
    "enroll": "enrol", "modeling": "modelling", "leveled": "levelled", "ok": "okay",
}
_IZE_EXCEPTIONS = frozenset(["size", "sized", "sizes", "prize", "prized", "prizes", "seize",
                             "seized", "seizes", "capsize", "resize", "downsize", "citizen",
                             "citizens", "maize", "baize", "bize", "ize"])
_IZE = (("izing", "ising"), ("ization", "isation"), ("izations", "isations"), ("ized", "ised"),
        ("izes", "ises"), ("izer", "iser"), ("ize", "ise"), ("yzing", "ysing"), ("yzed", "ysed"),
        ("yze", "yse"))


@lru_cache(maxsize=16384)
def canonical_spelling(word: str) -> str:
    """The British spelling the detectors use ("realize" -> "realise", "color" -> "colour")."""
    if word in _AMERICAN:
        return _AMERICAN[word]
    if word in _IZE_EXCEPTIONS or len(word) < 6:
        return word
    for american, british in _IZE:
        if word.endswith(american):
            return word[: -len(american)] + british
    return word

# Feeling words grouped by family, to tell whether a named feeling fits what the client showed.
_FAMILIES = {
    "anger": "angry annoyed furious irritated pissed resentful bitter exasperated frustrated "
             "impatient mad cross livid outraged fuming",
    "hurt": "hurt pain wounded betrayed rejected dismissed ignored disrespected insulted "
            "patronised patronized unheard unseen invisible unimportant misunderstood judged",
    "sadness": "sad low down miserable depressed heartbroken devastated crushed empty lonely "
               "alone lost grief grieving hopeless defeated deflated discouraged disheartened",
    "fear": "afraid anxious scared frightened terrified worried nervous panicked panicky tense "
            "uneasy unsettled unsafe threatened wary guarded suspicious apprehensive dreading",
    "shame": "ashamed embarrassed humiliated exposed guilty stupid worthless useless "
             "inadequate disgusting disgusted",
    "tired": "tired exhausted drained weary worn burnt burned numb",
    # not "fine" or "good": "it was fine" is how withdrawal sounds, not a feeling
    "positive": "happy relieved excited hopeful proud pleased glad calm content grateful thrilled "
                "delighted",
}
FAMILY_OF = {word: family for family, words in _FAMILIES.items() for word in words.split()}


def feeling_families(words) -> set[str]:
    """The feeling families named by these words ("furious" -> anger)."""
    return {FAMILY_OF[w] for w in words if w in FAMILY_OF}


@lru_cache(maxsize=32768)
def stem(word: str) -> str:
    """A crude stem, enough to match "worried"/"worry" and "cancelled"/"cancel"."""
    for suffix in ("ing", "ied", "ies", "ed", "es", "ly", "s", "y"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word
