"""The words and shapes the paraphrase check looks for, as plain regular expressions.

Grouped by the question a sales coach asks of a paraphrase: is our offer named as the fix,
is the problem brushed off, is it about us, what hurts, what does it cost them, why now,
and would the customer say these words. Patterns look for shapes ("a number of hours",
"before the <event>", "<word>-driven") rather than for sentences from any one deal.

Every pattern runs on lowercased text (four times faster than matching case-blind), so
they are written in lower case.
"""

from __future__ import annotations

import re

_I = 0  # the text is lowercased before matching
_APOS = "['’]"


def words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|sixty|hundred|a\s+hundred|a\s+dozen|dozens|hundreds|thousands)"
)
NUMBER = rf"(?:\d[\d,.]*|{NUMBER_WORD})"
TIME_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|shifts?|sprints?)"
PERIOD = r"(?:day|week|month|night|shift|year|quarter|visit|release|close|run)"

# --- customer's own words: in double or single quotes (not an apostrophe inside a word) ---
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|(?<!\w)['‘](?:[^'‘’\n]|(?<=\w)['’](?=\w))+?['’](?!\w)")

# --- solution talk: our offer named as the fix ---------------------------------------
_OFFER = (
    r"(?:platform|product|solution|software|tool|app|application|system|suite|api|features?"
    r"|modules?|integrations?|offering|technology|services?|connectors?|engine|add-?ons?"
    r"|dashboards?|portal|chatbot|bot|optimi[sz]er|analytics|cloud|desktop|library|database|kit"
    r"|scanner|sensors?|plugin|plug-in|edition|tier|licen[cs]es?|automation)"
)
_SKU = r"(?:add-?on|module|tier|plan|upgrade|plugin|plug-in|edition|licen[cs]e|bundle|package)"
_FIX_VERB = (
    r"(?:fix|solve|remove|stop|catch|give|put|take\s+care|sort|cut|save|eliminate|reduce"
    r"|automate|replace|let|help|handle|prevent|reply|free|speed|end|drop|get\s+rid)"
)
_PROVIDE = (
    r"(?:offer|provide|support|solve|fix|build|deliver|sell|recommend|propose|suggest|set\s+up"
    r"|give|add|integrate|automate|replace|migrate|configure|handle|sort\s+(?:\w+\s+)?out"
    r"|roll\s+out"
    r"|install|implement|deploy|enable|pitch)"
)
_OUR_PEOPLE = (
    r"(?:roadmap|team|deck|slides|case|partner|pricing|people|specialists?|managers?|lead|leads"
    r"|engineers?|experts?|consultants?|reps?|owners?|marketing|sales|story)"
)
_MODAL = rf"(?:\s+(?:can|could|will|would|should|shall|might|must)|{_APOS}(?:ll|d))"
_MODIFIER = r"(?!(?:on|in|at|with|for|to|of|and|or|the|a|an|about|from|by|if|so)\b)[\w-]+,?\s+"
SOLUTION = [
    # "our route optimiser", but not "our analytics roadmap" or "our product team"
    re.compile(rf"\b(?:our|my)\s+(?:{_MODIFIER}){{0,3}}?{_OFFER}\b(?!\s+{_OUR_PEOPLE})", _I),
    re.compile(rf"\b(?:we|i){_MODAL}?\s+(?:\w+\s+){{0,2}}?{_PROVIDE}\b", _I),
    words(
        r"(?:(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?)?(?:we|i)\s+(?:sell|offer|provide)",
        r"(?:from|like)\s+(?:us|ours)",
        r"(?:a|an)\s+(?:[\w-]+\s+){0,3}?from\s+our",
    ),
    # "our cutting-edge triage would streamline it", "a move to our CI would take that off"
    re.compile(
        r"\bour\s+(?:[\w-]+,?\s+){0,4}?(?:would|will|could|can)\s+(?:\w+\s+)?"
        rf"(?:{_FIX_VERB}|streamline|take\s+(?:that|it|this|them)\s+off)"
    ),
    words(
        rf"(?:we|i)(?:{_APOS}re|{_APOS}m|\s+are|\s+am)\s+(?:\w+\s+)?(?:proposing|offering|pitching"
        r"|recommending|suggesting|selling|quoting|providing)",
        r"(?:my|our)\s+recommendation\s+is",
        r"i\s+(?:would\s+)?(?:recommend|suggest)",
    ),
    # "which our RFID kit handles out of the box"
    re.compile(
        r"\bour\s+(?:[\w-]+\s+){0,3}?(?:handles|solves|fixes|covers|automates|removes|prevents"
        r"|gets\s+rid\s+of|does\s+away\s+with"
        r"|takes\s+care\s+of|does\s+(?:exactly\s+)?(?:this|that))\b"
    ),
    words(r"out\s+of\s+the\s+box"),
    # "a bedside tablet would fix that": a thing named as what fixes the problem
    re.compile(
        r"\b(?:a|an)\s+(?:[\w-]+\s+){1,3}?(?:would|will|could|can|should)\s+(?:\w+\s+)?"
        r"(?:fix|sort|solve|remove|eliminate|get\s+rid\s+of|take\s+care\s+of)"
        r"(?:\s+(?:it|that|this|them)|\s+the\s+(?:problem|issue))\b"
    ),
    # "our damage assessment is built for exactly this"
    re.compile(
        r"\bour\s+(?:[\w-]+\s+){0,4}?(?:is|are|was|would\s+be)\s+(?:\w+\s+)?"
        r"(?:built|designed|made|perfect|ideal|a\s+perfect\s+fit|a\s+great\s+fit|exactly)\b"
    ),
    words(
        r"the\s+(?:(?:obvious|natural|real|only|best|right|simple|easy|clear)\s+)?"
        r"(?:answer|fix|solution|cure|remedy|move|play|way\s+to\s+go)\s+(?:is|would\s+be)",
        r"as\s+the\s+(?:answer|fix|solution|cure|remedy)",
        r"(?:a\s+)?(?:perfect|great|natural|ideal|good|obvious)\s+fit\s+for\s+(?:our|us)",
        r"once\s+they\s+(?:switch|move|migrate|upgrade|go)\s+(?:over\s+)?(?:to|onto)",
        r"(?:get|move|switch|migrate|put)\s+(?:them\s+)?onto\s+our",
        r"is\s+(?:the|an|exactly\s+the)\s+(?:answer|fix|solution|obvious\s+fit|way\s+forward|cure)",
        r"what\s+they\s+need\s+is",
        r"is\s+(?:exactly\s+)?what\s+they\s+(?:need|want)",
        r"pays\s+for\s+itself",
    ),
    words(
        r"they\s+(?:should|need\s+to|must|ought\s+to|have\s+to|could|can)\s+(?:just\s+)?"
        r"(?:buy|purchase|licen[cs]e|upgrade|subscribe|sign\s+up|go\s+with|roll\s+out|deploy"
        r"|adopt|move\s+onto|switch\s+to\s+(?:our|the\s+new))",
        r"upgrade\s+(?:them\s+)?to\s+(?:the\s+|our\s+)?[\w-]+",
    ),
    re.compile(
        rf"\b(?:a|an|the)\s+(?:{_MODIFIER}){{0,3}}?{_OFFER}\s+(?:would|will|could|can|{_APOS}d)"
        rf"\s+(?:\w+\s+)?{_FIX_VERB}",
        _I,
    ),
    re.compile(
        rf"\b(?:a|an|the)\s+(?:{_MODIFIER}){{0,3}}?{_SKU}\s+"
        r"(?:gives|solves|fixes|removes|handles|takes\s+care|covers)\b",
        _I,
    ),
]

# --- "no problem": the problem brushed off -------------------------------------------
_DISMISS = (
    r"no\s+problem|not\s+(?:really\s+)?a\s+(?:big\s+)?(?:problem|deal|concern)"
    r"|no\s+(?:real|big|major)\s+(?:problem|issue)|nothing\s+(?:too\s+|that\s+|very\s+)?(?:serious|major|big)"
    r"|no\s+cause\s+for\s+(?:concern|alarm)"
    rf"|(?:that|it){_APOS}?s\s+(?:fine|ok|okay)|(?:that|it)\s+is\s+(?:fine|ok|okay)"
    r"|not\s+(?:really\s+)?an\s+issue|no\s+big\s+(?:deal|thing)|no\s+biggie|no\s+worries|no\s+sweat"
    rf"|nothing\s+we\s+can(?:not|{_APOS}t)\s+handle|nothing\s+to\s+worry\s+about"
    r"|no\s+need\s+to\s+worry|(?:an?\s+)?(?:easy|quick|simple)\s+(?:fix|win|one)|no\s+drama"
    r"|not\s+(?:really\s+)?(?:a|that)\s+(?:big|huge|major)\s+(?:deal|issue|problem|worry)"
    r"|not\s+that\s+big\s+a\s+deal|minor\s+(?:thing|issue|niggle)"
    r"|easy\s+(?:enough\s+)?to\s+(?:sort|fix|solve)|easily\s+(?:fixed|solved|sorted)"
    r"|piece\s+of\s+cake|(?:a\s+)?non-?issue|not\s+a\s+biggie|no\s+big\s+drama|small\s+stuff"
    r"|(?:is\s+not|isn['’]t|not)\s+the\s+end\s+of\s+the\s+world|fixable\s+in"
    r"|nothing\s+(?:they|we)\s+can(?:not|['’]t)\s+(?:manage|handle|live\s+with|fix|sort)"
    r"|(?:an?\s+)?(?:trivial|straightforward)\s+(?:fix|one|job|thing)|(?:a\s+)?quick\s+job"
    r"|(?:simple|straightforward|trivial|quick)\s+(?:enough\s+)?to\s+(?:sort|fix|solve)"
)
NO_PROBLEM = re.compile(rf"\b(?:{_DISMISS})\b", _I)
#: "budget is no problem for them", "they have no problem with the price": not a brush-off.
NOT_DISMISSIVE_BEFORE = re.compile(
    r"\b(?:budget|money|price|pricing|cost|funding|cash|time|capacity|headcount|security"
    r"|scale|integration|integrating|hiring|staffing|access|training|adoption|getting\s+\w+"
    r"|the\s+\w+)\s+(?:is|was|are|were|isn['’]t|(?:would|will|should)\s+be)\s+$"
    r"|\b(?:have|has|had|having|see|sees|saw|there\s+is|there['’]s|there\s+was)\s+$",
    _I,
)
NOT_DISMISSIVE_AFTER = re.compile(
    r"^\s+(?:with|paying|is\s+(?:bigger|worse|more))\b"
    # a contrast: "safety is not an issue for them, billing is:"
    r"|^(?:\s+(?:for|to)\s+\w+)?\s*[,;]\s*(?:[\w-]+\s+){1,3}?(?:is|are)\s*(?:[:;,.—-]|$)",
    _I,
)

# --- about us ------------------------------------------------------------------------
WE = re.compile(
    rf"\b(?:we(?:{_APOS}(?:re|ve|ll|d))?|our|ours|let{_APOS}s"
    r"|my\s+(?:manager|boss|team|quarter|number|quota|forecast|pipeline|target|vp|director))\b",
    _I,
)
#: Reporting what the customer said is not about us: "we heard", "we learned".
REPORTING = re.compile(
    r"\bwe\s+(?:heard|learned|learnt|saw|were\s+told|found\s+out|noticed|understood"
    r"|discussed|spoke|talked|met|asked|confirmed|agreed|hear|learn)\b"
    # the customer talking without quotes: "the plant manager said we lose", "CFO: we spend"
    r"|(?<!\bi\s)\b(?:said|says|told\s+(?:us|me))\s+(?:that\s+)?we\b"
    r"|\b(?:cfo|ceo|coo|cto|cio|ciso|cno|gm|md|vp|director|manager|mgr|head|lead|chief|controller"
    r"|owner|buyer|president|chair)\s*:\s*we\b"
    # where we heard it: "on our call", "in our meeting"
    r"|\b(?:on|in|during|at|from|after)\s+our\s+(?:first\s+|last\s+|second\s+)?(?:call|meeting"
    r"|demo|visit|workshop|chat|session|conversation|discovery\s+call)\b",
    _I,
)

# --- is there a customer problem at all? -----------------------------------------------
PROBLEM = words(
    rf"can{_APOS}?t",
    "cannot",
    rf"(?:could|do|does|did|is|are|was|were|wo|would)n{_APOS}?t",
    "unable",
    "never",
    "without",
    r"miss(?:es|ed|ing)?",
    r"los(?:e|es|ing|t|s)",
    r"late|slow(?:er|ly)?|stale|behind|backlog|queues?|bottlenecks?",
    r"wait(?:s|ed|ing)?|delay(?:s|ed)?|stuck|block(?:s|ed)?|stops?|stopped|crash(?:es|ed)?",
    r"errors?|mistakes?|wrong|incorrect|duplicates?|mis-?\w+",
    r"fail(?:s|ed|ing|ures?)?|broken|breaks?\s+down|down(?:time)?|outages?",
    r"manual(?:ly)?|by\s+hand|on\s+paper|paper\s+(?:forms?|records?|charts?|files?|maps?)"
    r"|paper-based|printed|spreadsheets?|by\s+phone|by\s+email|whatsapp"
    r"|un(?:reconciled|paid|billed|tracked|planned|filled|answered|resolved|approved|signed)"
    r"|(?:in|on)\s+(?:excel|notebooks?|whiteboards?|post-?its?|sticky\s+notes)",
    r"re-?(?:key|type|enter|plan|draft|build|do|work)\w*|re-(?!tender)\w+|rebuilt|the\s+same"
    r"|twice|copy(?:ing)?"
    r"|by\s+guessing|guess\w*",
    r"complain\w*|grumble\w*|frustrat\w*|annoy\w*|pain\w*|hate\w*|dislike\w*|unhappy|upset",
    r"clunky|messy|mess|chaotic|chaos|hard|difficult|struggl\w*|tedious|fiddly|awkward"
    r"|confusing|cluttered|unintuitive|headache|poor|ancient|outdated|old|flaky|worse|worried"
    r"|overwhelm\w*|dated|clumsy|cumbersome|unreliable|buggy|glitchy|laggy|unusable|rubbish",
    r"problems?|issues?|risks?|risky|costs?|costing|fines?|penalt(?:y|ies)|churn|cancel\w*|quit"
    r"|turnover|waste\w*|throw\s+away|scrap|overbook\w*|short|lapse\w*|withhold\w*|blind"
    r"|complaints?|refund\w*|write-?offs?|overpay\w*|injur\w*|reject\w*",
    r"too\s+(?:long|slow|many|much|few)|how\s+long|fed\s+up|sick\s+of|tired\s+of",
    r"slip(?:s|ped|ping|page)?|(?:over|via)\s+email|rounds\s+of",
    # Someone's time going into it: "takes 3 days", "their close is 12 days".
    rf"(?:takes?|took|taking|spends?|spent|spending|wastes?|wasted|needs?|eats?|eating|cutting"
    rf"|cut|is|are|averages?)\s+(?:[\w-]+\s+){{0,3}}?(?:{NUMBER}|a|an)\s+{TIME_UNIT}",
    rf"(?:{NUMBER}|a|an|half\s+an?)\s+{TIME_UNIT}\s+(?:of|out\s+of)\s+(?:the|their|her|his|each)",
    rf"{NUMBER}\s+{TIME_UNIT}\s+(?:per|a|an|every|each)\s+[\w-]+",
    r"nobody|no\s+one|none|gaps?|shortages?|bottlenecks?|overload\w*|swamped|drowning|chasing"
    r"|firefight\w*|rework|workarounds?|lag\w*|inconsistent\w*|disagree\w*|differently"
    r"|out\s+of\s+(?:stock|date|sync)|runs?\s+out|ran\s+out|goes\s+down|went\s+down|idle"
    r"|unplanned|expired|hidden|lack\w*|limited|leak\w*|damage\w*|spoil\w*|theft|fraud"
    r"|stolen|shrink\w*|pressure|bounce\w*|drop\s+off|dropp?(?:ed|ing)\s+off|abandon\w*",
    r"nightmare|disaster|horrible|terrible|awful|bad|broken|killing|hurts?|pain\s+points?",
    r"(?:want|wants|need|needs|would\s+(?:like|love))\s+(?:\w+\s+){0,3}?"
    r"(?:better|faster|fewer|less|more"
    r"|cleaner|nicer|modern|simpler|easier)",
    r"improve\w*|fix(?:ed|ing)?|sort(?:ed)?\s+out|tidied\s+up|speed\s+(?:it\s+)?up",
    # People tied up: "3 people full time on intercompany", "spend Fridays on forecasts".
    r"juggl\w*|hunt\w*\s+for|search\w*\s+(?:for|\w+\s+systems)|no-?shows?|incomplete|sold\s+out"
    r"|over(?:sold|sell\w*|run|runs|ran|running|spend\w*|spent)|double[- ]?(?:enter|book|key|charg"
    r"|chart|count|handl|contact)\w*|time[sd]?\s+out|timeouts?|near[- ]miss\w*|ends?\s+up"
    r"|bin(?:s|ned)?|dump\w*|empty\s+(?:tables?|shelves|slots?|seats?|rooms?|beds?)"
    r"|against\s+an?\s+[\w-]+\s+(?:promise|target|limit|sla)",
    r"full[- ]time\s+(?:on|doing|just)|spend\w*\s+(?:every\s+)?(?:mon|tues|wednes|thurs|fri"
    r"|satur|sun)days?\s+(?:on|doing)",
)

# --- business impact: money, time, risk, people, counts --------------------------------
IMPACT: dict[str, list[re.Pattern[str]]] = {
    "money": [
        re.compile(r"[$€£¥]\s?\d[\d,.]*\s?(?:k|m|bn|million|billion)?", _I),
        re.compile(r"\b\d[\d,.]*\s?(?:k|m|bn|million|billion|thousand|dollars|euros|pounds)\b", _I),
        words(
            r"revenue",
            r"cost(?:s|ing)?\s+(?!of\b|centres?\b|centers?\b|is\b|was\b)\w+",
            r"costing",
            r"fines?|fined",
            r"penalt(?:y|ies)",
            r"refund(?:s|ed)?",
            r"write-?offs?",
            r"overpayments?",
            r"overtime",
            r"(?:lost|lose|losing)\s+(?:\w+\s+)?(?:sales|revenue|deals|business|bonus|output)",
            r"at\s+a\s+loss",
            r"margins?",
            r"profits?",
            r"bonus",
            r"compensation",
            r"(?:un)?billable|can['’]?t\s+bill|won['’]?t\s+pay",
        ),
    ],
    "time": [
        re.compile(
            rf"(?<!\bin\s)(?<!\bnext\s)(?<!within\s)(?<!before\s)(?<!\buntil\s)"
            r"\b(?!one\s+day\b(?!\s+(?:a|an|per|every|each|of|late)\b))"  # "one day" = someday
            rf"(?:{NUMBER}|a|an|half\s+an?|a\s+full|a\s+few|several|a\s+couple\s+of)"
            rf"(?:\s+[\w-]+){{0,2}}\s+{TIME_UNIT}\b(?!\s+(?:away|out|from\s+now|to\s+go|later))",
            _I,
        ),
        words(r"downtime", r"outages?", r"backlog", r"overtime"),
    ],
    "risk": [
        words(
            r"risks?|risking",
            r"(?:non-?)?complian(?:ce|t)",
            r"regulators?|regulatory|ombudsman",
            r"breach(?:es)?",
            r"churn",
            r"cancel(?:s|led|ling)?",
            r"los(?:e|es|ing|t)\s+(?:\w+\s+){0,2}?(?:customers?|clients?|deals?|tenants?"
            r"|applicants?|policies|matters|patients?|members|donors|weddings|sales|staff"
            r"|people|accreditation|licen[cs]e|contract|bonus)",
            r"complaints?",
            r"injur(?:y|ies|ed)|accidents?|unsafe|safety\s+(?:incidents?|issues?|risks?|breach\w*)",
            r"tribunal|lawsuits?|sued|legal\s+action|harm(?:s|ed)?|near[- ]miss(?:es)?",
            r"premiums?\s+(?:goes|go|went|will\s+go|would\s+go)\s+up",
            r"withhold\w*\s+rent",
            r"reject(?:s|ed)?",
            r"readmissions?",
            r"wrong\s+(?:patient|customer|address|parts?|dates?|price)",
            r"bad\s+reviews|reputation",
            r"flagged",
            r"competitors?|rivals?",
            r"miss(?:es|ed|ing)?\s+(?:[\w-]+\s+){0,2}?(?:dispatch|deadlines?|deliver(?:y|ies)|windows?"
            r"|slas?|targets?|shipments?|flights?|cut-?offs?|payments?|filings?)",
            r"fail\w*\s+(?:them|the|their|an?|its)\s+(?:\w+\s+)?(?:audit|inspection|assessment"
            r"|review|test|certification|accreditation)|(?:could|would|might|will)\s+fail",
            r"call\s+in\s+the\s+loan|covenants?|default\w*|insolven\w+|bankrupt\w*",
            r"(?:auditors?|inspectors?|regulators?)\s+(?:found|flagged|raised|critici[sz]ed|fined)",
            r"(?:patients|customers|guests|students|passengers|callers|ambulances|tenants|citizens"
            r"|users|members|shoppers|buyers)\s+(?:\w+\s+)?(?:wait|queue|complain|leave|churn"
            r"|cancel|give\s+up|hang\s+up|walk|go\s+elsewhere)\w*",
            r"turn(?:s|ed)?\s+(?:\w+\s+)?away|walk(?:s|ed)?\s+(?:away|to)|leave|leaving|elsewhere",
            r"los(?:e|es|ing|t)\s+(?!track\b|sight\b|patience\b|interest\b|focus\b|touch\b)"
            r"(?:[\w-]+\s+){0,2}?[\w-]+",
        ),
    ],
    "people": [
        words(
            r"turnover",
            r"quit(?:s|ting)?",
            r"resign(?:s|ed|ing)?",
            r"burn-?out",
            r"sickness|off\s+with\s+stress",
            r"can['’]?t\s+hire|cannot\s+hire|short\s+\d+",
        ),
    ],
    "how often": [
        re.compile(rf"(?<!discount\sof\s)\b{NUMBER}\s?(?:%|percent\b|per\s+cent\b)", _I),
        words(
            rf"{NUMBER}\s+(?:[\w-]+\s+)?in\s+(?:every\s+)?{NUMBER}",
            r"(?:a|one)\s+(?:third|quarter|half)\s+of",
            r"half\s+(?:of\s+)?(?:our|their|the)",
            r"doubled|tripled",
            rf"(?:once|twice|{NUMBER}\s+times)\s+(?:this|last)\s+(?:year|month|quarter|week)",
            rf"(?:fell|fallen|dropped|down|rose|risen|up|jumped|grew|increased|decreased)\s+"
            rf"(?:by\s+|to\s+)?(?:about\s+|around\s+)?(?:a\s+)?{NUMBER}",
            rf"(?:once|twice|{NUMBER}\s+times|a\s+few\s+times|several\s+times)\s+(?:a|an|per|every)"
            rf"\s+{PERIOD}",
            rf"(?:{NUMBER}|a|an)\s?(?:[\w-]+\s+){{0,2}}?[\w-]+\s+(?:a|an|per|every)\s+{PERIOD}",
        ),
    ],
    #: A bare count ("140 stores", "12 agents") sizes a problem but does not make one.
    "count": [
        words(
            r"\d[\d,]*\d\s+(?:[\w-]+\s+)?[\w-]+s",
            rf"{NUMBER}\s+(?:[\w-]+\s+)?(?:staff|people|users|employees|engineers|agents|nurses"
            r"|analysts|clerks|customers|patients|tenants|applicants|orders|invoices|claims"
            r"|tickets|errors|complaints|cases|deals|policies|hires|accountants|caseworkers"
            r"|investigators|drivers|deliveries|visits|shipments|pallets|containers|incidents"
            r"|strikes|referrals|appointments|renewals|weddings|bookings|matters|donors|rooms"
            r"|results|returns|refunds|calls|questions|students|members|trucks|vans|miss(?:es)?)",
        ),
    ],
}
#: Pain without a size: the rep heard that it hurts, not what it costs.
VAGUE_PAIN = words(
    r"clunky|messy|a\s+mess|chaotic|painful|a\s+pain|frustrat\w*|annoy\w*|tedious|fiddly"
    r"|awkward|confusing|cluttered|unintuitive|(?:a\s+bit\s+of\s+)?a\s+headache|outdated"
    r"|old[\s-]fashioned|ancient|slow|flaky|hard\s+to\s+use|hate|dislike|unhappy|grumble"
    r"|(?:a\s+)?nightmare|simpler|easier"
    r"|improve(?:d)?|better|nicer|cleaner|modern\w*|behind\s+the\s+times|poor"
)

# --- why now: a date, an event, a deadline -------------------------------------------------
_MONTH = (
    r"january|february|febuary|march|april|june|july|august|september|october|november"
    r"|december|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?(?=\s*\d)"
    r"|(?<=\d\s)(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b"
)
_EVENT = (
    r"(?:audit|inspection|review|renewal|launch|go-?live|board\s+(?:meeting|review|pack)|election"
    r"|re-?tender|tender|readout|kick-?off|merger|ipo|funding\s+round|appeal|visit|season|rush"
    r"|peak|cut-?over|conference|contract|deadline|sale|term|opening|relaunch|switch|roll-?out"
    r"|migration|meeting|decision|budget\s+cycle|fiscal\s+year|financial\s+year)"
)
_SEASON = (
    r"(?:spring|summer|autumn|fall|winter|holidays?|christmas|new\s+year|half[- ]term|easter"
    r"|thanksgiving|ramadan|the\s+summer\s+break)"
)
WHY_NOW = words(
    _MONTH,
    r"(?:in|by|before|until|end\s+of|on|from)\s+may",
    r"may\s+\d{1,2}",
    r"\d{1,2}\s+may",
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day(?!s)",
    r"(?:on|by|for|before|until|till|from)\s+the\s+\d{1,2}(?:st|nd|rd|th)",
    r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{4}-\d{2}-\d{2}",
    r"q[1-4]|h[12]|fy\s?\d{2,4}",
    r"(?:in|by|before|from|until)\s+20[2-9]\d",
    r"deadlines?|due(?!\s+to\b)|expir(?:es|y|ing|ation|ed)|go(?:es)?[- ]live|cut-?over",
    r"(?:by|before|until|at|ahead\s+of|for)\s+(?:the\s+)?(?:year|quarter|month)[- ]end",
    r"year-end|quarter-end",
    r"(?:at|by|before|until|for)\s+the\s+(?:half[- ]year|year[- ]end|quarter[- ]end|month[- ]end)",
    r"busiest\s+(?:time|week|weekend|day|season|period|month)",
    r"(?:end|start|beginning|middle)\s+of\s+(?:the\s+|this\s+|next\s+)?(?:quarter|year|month"
    r"|fiscal\s+year|financial\s+year|season|contract|week|term)",
    r"next\s+(?:week|month|quarter|year|spring|summer|autumn|fall|winter|term|season|cycle)",
    r"(?:this|coming)\s+(?:week|month|spring|summer|autumn|fall|winter|term|season|weekend)",
    rf"(?:in|within)\s+(?:the\s+next\s+)?(?:{NUMBER}|a|an|a\s+few|a\s+couple\s+of)\s+"
    r"(?:days?|weeks?|months?)",
    rf"(?:{NUMBER}|a|a\s+few)\s+(?:days?|weeks?|months?)\s+(?:away|out|from\s+now|to\s+go)",
    rf"(?:before|ahead\s+of|in\s+time\s+for|prior\s+to|going\s+into|by|until|for|at)\s+"
    rf"(?:the|their|its|his|her|next|this)\s+(?:[\w-]+\s+){{0,3}}?{_EVENT}s?",
    rf"(?:before|ahead\s+of|in\s+time\s+for|by|until|till|for|going\s+into|in|after)\s+"
    rf"(?:the\s+)?{_SEASON}",
    r"(?:mid|early|late)[- ](?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"|(?:end\s+of|in|by|before|from|until|till|on)\s+(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct"
    r"|nov|dec)\.?",
    r"(?:from|by|in|before|until|till)\s+week\s+\d{1,2}",
    rf"{_SEASON}\s+(?:season|sale|rush|peak|term|launch|weekend|week)|black\s+friday"
    r"|peak\s+season",
    rf"{_EVENT}s?\s+(?:this|next)\s+(?:year|quarter)",
    r"(?:at|before|ahead\s+of)\s+(?:the\s+)?(?:renewal|go-?live|launch)",
    r"today|tomorrow|tonight|(?:this|tomorrow)\s+(?:morning|afternoon|evening)",
)
#: A time word after these is in the past or a comparison: "last summer", "than last year".
PAST_BEFORE = re.compile(
    r"\b(?:last|since|than|past|previous|ago|every|each)\s+(?:the\s+)?$"
    # "since the merger in March", "back in January", "than it was in 2022"
    r"|\b(?:since|back)\s+(?:(?!is\b|are\b|will\b|starts?\b|opens?\b)[\w-]+\s+){0,3}?in\s+$"
    r"|\b(?:was|were)\s+$",
    _I,
)
#: ... or after: "their busiest weekend last year saw", "the audit in March found".
PAST_AFTER = re.compile(
    r"^\s*(?:last\s+(?:year|month|week|season|time|quarter)|ago|found|flagged|showed|saw|cost"
    r"|caused|revealed|went)\b",
    _I,
)

# --- jargon: words the customer would not say ----------------------------------------
JARGON_SHAPES = [
    re.compile(
        r"\b[\w]+-(?:centric|driven|first|native|powered|grade|proof|ready|enabled|agnostic"
        r"|obsessed"
        r"|optimi[sz]ed|led|as-a-service)\b",
        _I,
    ),
    words(
        r"next-(?:gen|generation|level)",
        r"best-(?:of|in)-\w+",
        r"(?:world|best|first)[- ]class",
        r"cutting-edge|bleeding-edge|state-of-the-art|end-to-end|future-proof\w*",
        r"hyper-?\w+",
        r"omni-?channel",
        r"game-?chang\w+",
        r"mission-critical|whole-of-\w+|value-add\w*",
        r"synerg\w+|frictionless|holistic\w*|paradigms?|ecosystems?|seamless\w*|turnkey",
        r"operationali[sz]\w+|empower\w*|unlock\w*|leverag\w+|streamlin\w+|orchestrat\w+",
        r"value\s+realization|transformation\s+journey|\w+\s+journey|actionable\s+insights?",
        r"single\s+pane\s+of\s+glass|360-degree|move\s+the\s+needle|low-hanging\s+fruit",
        r"digital\s+transformation|thought\s+leadership|north\s+star|disrupt\w*",
    ),
    # Strings of three abstract words: "operational efficiency optimization".
    re.compile(
        r"\b(?:[a-z]+(?:tion|sion|ment|ity|ance|ence|ency|ness|ship|al|ive)\s+){2}"
        r"[a-z]+(?:tion|sion|ment|ity|ance|ence|ency|ness|ship|ization|isation)\b",
        _I,
    ),
]
