"""Sentence boundaries inferred from the words alone, so punctuation never changes a score.

People type on phones without full stops; the same answer must read the same either way. A new
sentence starts where a word pair that typically opens a spoken sentence ("i think", "you're",
"what was", "do you", "sorry", "it sounds") follows a word that can end one. Words that leave a
sentence open ("and", "to", "that", "think", "sorry", "the"...) never end one, so "I'm sorry you
waited" stays whole while "I rushed you sorry about that" becomes two. Typed punctuation is
ignored on purpose: inferring the same boundaries with or without it is what makes the scorer
robust; a typed line break is kept as a boundary.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

# A sentence can open with one of these words whatever follows.
_OPEN_ALONE = frozenset([
    "i'm", "i've", "i'd", "i'll", "you're", "you've", "you'd", "you'll", "it's", "that's",
    "there's", "what's", "how's", "let's", "we're", "we've", "sorry", "thanks", "maybe",
    "perhaps", "honestly", "anyway", "please", "mm", "um", "wow", "oh", "sounds", "seems",
    "makes", "yes", "hey", "hi", "hello", "gosh", "whatever", "listen", "look", "imagine",
    "tell", "try", "but",
])
# ...and these when the next word is one of the set.
_SUBJECT_VERBS = frozenset([
    "think", "feel", "felt", "wonder", "notice", "noticed", "guess", "hear", "heard", "see",
    "saw", "can", "can't", "could", "couldn't", "should", "shouldn't", "was", "wasn't", "have",
    "had", "did", "didn't", "don't", "do", "want", "wanted", "really", "just", "also", "know",
    "knew", "get", "got", "kept", "keep", "pushed", "started", "forgot", "made", "said", "missed",
    "messed", "rushed", "went", "moved", "apologise", "owe", "take", "took", "appreciate",
    "understand", "understood", "imagine", "sense", "would", "wouldn't", "will", "won't",
    "might", "may", "mean", "meant", "only", "never", "always", "realise", "hope", "care",
    "need", "needed", "must", "am", "are", "were", "weren't", "seem", "seemed", "sound",
    "sounded", "came", "come", "deserve", "told", "tell", "thought", "wish", "wished", "waited",
    "paid", "pay", "put", "brought", "let", "left", "lost", "tried", "try", "interrupted",
    "cut", "called", "asked", "ask", "say", "talked", "shared", "went", "clearly", "obviously",
    "probably", "definitely", "actually", "honestly", "still", "sometimes", "agree", "believe",
    "love", "like", "hate", "doubt", "worry", "worried", "suppose", "totally", "completely",
])
_PAST_VERBS = frozenset([
    "gave", "sent", "wrote", "got", "took", "put", "went", "ran", "spoke", "read", "set",
    "left", "lost", "brought", "forgot", "began", "came", "made", "said", "told", "kept", "did",
])
_SUBJECTS = {"i": _SUBJECT_VERBS, "you": _SUBJECT_VERBS, "we": _SUBJECT_VERBS,
             "they": _SUBJECT_VERBS, "he": _SUBJECT_VERBS, "she": _SUBJECT_VERBS}
_AUX = frozenset([
    "do", "does", "did", "is", "are", "was", "were", "can", "could", "would", "will", "have",
    "has", "shall", "should", "am", "may", "might", "don't", "didn't", "doesn't", "isn't",
    "aren't", "wasn't", "won't", "wouldn't", "can't", "couldn't", "haven't",
])
_PERSONS = frozenset(["you", "i", "we", "they", "he", "she"])
_AUX_IT = frozenset(["is", "was", "does", "did", "would", "could", "can", "will", "isn't",
                     "doesn't", "didn't", "wasn't"])
# "who" and "which" mostly start relative clauses ("someone who gets it"): not openers
_WH = frozenset(["what", "how", "why", "when", "where"])
_WH_NEXT = _AUX | frozenset([
    "happened", "made", "makes", "feels", "felt", "would", "if", "about", "else", "kind",
    "sort", "part", "bit", "stops", "gets", "goes", "went", "came", "comes", "do", "helps",
])
_IT_THAT = frozenset(["it", "that", "this", "there"])
_IT_NEXT = frozenset([
    "sounds", "sounded", "seems", "seemed", "must", "makes", "made", "was", "wasn't", "isn't",
    "matters", "mattered", "feels", "felt", "looks", "hurt", "hurts", "wasn't", "took", "takes",
    "might", "can't", "doesn't", "didn't", "would", "could", "should", "won't",
])
# A word that leaves its sentence open: no boundary directly after it.
_CONTINUES = frozenset([
    "and", "or", "but", "that", "to", "of", "the", "a", "an", "if", "when", "whether",
    "because", "so", "like", "as", "than", "think", "thought", "feel", "felt", "know", "knew",
    "guess", "sense", "hear", "heard", "notice", "noticed", "wonder", "wondering", "given",
    "worried", "scared", "feeling", "it", "you're", "aware", "hoping", "thinking",
    "considering", "especially", "once", "whenever", "cos", "til", "till",
    "said", "say", "saying", "mean", "meant", "imagine", "suppose", "believe", "realise",
    "seems", "seem", "sounds", "sound", "hope", "wish", "worry", "afraid", "sure", "glad",
    "maybe", "perhaps", "where", "why", "how", "what", "who", "which", "while", "until", "since",
    "before", "after", "about", "with", "for", "in", "on", "at", "from", "by", "into", "is",
    "are", "was", "were", "am", "be", "been", "being", "do", "does", "did", "have", "has",
    "had", "can", "could", "would", "should", "will", "might", "may", "must", "not", "don't",
    "didn't", "i", "we", "they", "he", "she", "just", "also", "really", "very", "too", "even",
    "tell", "see", "ask", "asked", "told", "let", "make", "made", "help", "unless",
    "although", "though", "whereas", "rather", "my", "your", "our", "their", "his", "its", "this",
    "these", "those", "some", "any", "every", "each", "no", "all", "more", "most", "less",
    "nothing", "anything", "something", "everything", "whatever", "someone", "anyone",
    "it's", "that's", "there's", "i'm", "you're", "we're", "they're", "i've", "you've", "i'd",
    "you'd", "i'll", "you'll", "get", "got", "kind", "sort", "bit", "lot", "much", "many",
    "let's", "um", "mm", "well", "oh", "quite", "pretty", "kinda",
    "want", "wanted", "need", "needed", "tried", "trying", "going", "keep", "kept", "started",
    "stop", "if", "then", "only", "still", "yet", "already", "again",
])
# After "sorry" a sentence goes on with what the apology is for ("sorry you waited", "sorry I
# rushed you"); a question or anything else after it starts a new one.
_AFTER_SORRY = frozenset(["i", "you", "you're", "you've", "it's", "that's", "if", "for",
                          "about", "that", "to"])
MIN_WORDS = 3
_UNSURE = frozenset(["not", "i'm", "am", "be", "you're", "never", "quite", "really"])
# A question word after these is part of the sentence ("I know what you mean", "sure how").
_EMBEDS = frozenset([
    "know", "knew", "wonder", "wondering", "see", "understand", "tell", "ask", "asked",
    "remember", "hear", "heard", "imagine", "think", "guess", "about", "of", "on", "at", "in",
    "with", "from", "for", "by", "to", "is", "was", "that's", "it's", "exactly", "matter",
    "matters", "notice", "noticed", "realise", "care", "decide", "explain", "show", "and", "or",
    "like", "than", "mean", "curious", "interested", "learn", "no", "idea", "sense", "depends",
    "said", "say", "feel", "felt", "just", "really", "even", "unsure", "forget", "forgot",
])
# Instruction verbs open a sentence ("...that sounds hard. Try writing it down"), but not after
# "you" ("did you try the breathing").
_VERB_OPENERS = frozenset(["tell", "try", "imagine", "listen", "look"])


def _opens(tokens: Sequence[str], i: int) -> bool:
    """Whether the words at i look like the start of a spoken sentence."""
    word = tokens[i]
    following = tokens[i + 1] if i + 1 < len(tokens) else ""
    if word in _OPEN_ALONE:
        return bool(following) and not (word in _VERB_OPENERS and tokens[i - 1] == "you")
    if word in _SUBJECTS:
        # "I gave you that...", "we talked": a subject and a past tense open a sentence
        return following in _SUBJECTS[word] or following in _PAST_VERBS or (
            following.endswith("ed") and len(following) > 3)
    if word in _AUX:
        return following in _PERSONS or following in _IT_THAT and word in _AUX_IT
    if word in _WH:
        return following in _WH_NEXT or "'" in following
    if word in _IT_THAT:
        return following in _IT_NEXT
    return False


def boundaries(tokens: Sequence[str], breaks: Collection[int] = ()) -> list[int]:
    """Indices of the tokens that start a new sentence (0 excluded), in order."""
    found = []
    for i in range(1, len(tokens)):
        if i in breaks:
            found.append(i)
            continue
        previous = tokens[i - 1]
        if tokens[i] in _WH or tokens[i] in ("what's", "how's"):
            if previous in _EMBEDS or previous == "sure" and i >= 2 and tokens[i - 2] in _UNSURE:
                continue
        elif previous in _CONTINUES or previous == "sorry" and tokens[i] in _AFTER_SORRY:
            continue
        # a sentence is at least two words, and the first at least three ("last week I...")
        shortest = MIN_WORDS if not found else 2
        long_enough = i - (found[-1] if found else 0) >= shortest and len(tokens) - i >= 2
        if long_enough and _opens(tokens, i):
            found.append(i)
    return found
