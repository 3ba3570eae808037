namespace ClassifSae.Data;

/// <summary>
/// One planted sub-topic. Nouns, verbs and adjectives are its OWN words (used by no other sub-topic), the
/// ground-truth signal a concept should pick up. Cross words also occur in sub-topics of other classes
/// (e.g. "record" in athletics, markets and space), so single words do not give the class away.
/// Template slots: {N} noun, {V} verb, {A} adjective, {C} class-shared word, {X} cross word.
/// </summary>
public sealed record PlantedSubTopic(
    string Name,
    IReadOnlyList<string> Nouns,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> Adjectives,
    IReadOnlyList<string> CrossWords,
    IReadOnlyList<string> Templates)
{
    public IEnumerable<string> OwnWords => Nouns.Concat(Verbs).Concat(Adjectives);
}

/// <summary>One planted class: its name, words shared by all its sub-topics, and the sub-topics.</summary>
public sealed record PlantedClass(string Name, IReadOnlyList<string> SharedWords, IReadOnlyList<PlantedSubTopic> SubTopics);

/// <summary>The word bank of the planted corpus: 4 AG-News-like classes × 3 sub-topics.</summary>
public static class PlantedVocabulary
{
    /// <summary>Optional sentence openers and endings shared by every class (they carry no label signal).</summary>
    public static readonly IReadOnlyList<string> Openers =
        ["", "", "On Monday,", "Late on Tuesday,", "According to officials,", "In a statement,", "Earlier this week,", "Reports said that"];

    public static readonly IReadOnlyList<string> Endings =
        ["", "", "officials said", "reports said on Friday", "according to a statement", "local media reported", "sources said late on Thursday"];

    public static readonly IReadOnlyList<PlantedClass> Classes =
    [
        new("World", ["government", "minister", "country", "leaders", "nation", "president"],
        [
            new("diplomacy",
                ["treaty", "embassy", "summit", "ambassador", "sanctions", "negotiators"],
                ["signed", "negotiated", "condemned", "ratified"],
                ["bilateral", "diplomatic", "multilateral", "consular"],
                ["deal", "talks"],
                ["the {C} {V} the {A} {X} with their {N} after long {N}",
                 "the {A} {N} was {V} by the {C} amid fresh {X} over the {N}",
                 "{N} from both sides {V} a {A} {X} as the {C} hosted the {N}"]),
            new("conflict",
                ["troops", "rebels", "militants", "ceasefire", "airstrike", "insurgents"],
                ["attacked", "shelled", "ambushed", "retreated"],
                ["armed", "fierce", "bloody", "hostile"],
                ["strike", "attack"],
                ["{A} {N} {V} the {C} positions as {N} {V} near the border",
                 "the {C} said {A} {N} {V} a village during a {X} against the {N}",
                 "after the {N} collapsed, {N} {V} and {A} {X} continued for days"]),
            new("disaster",
                ["earthquake", "flood", "refugees", "survivors", "rescuers", "aftershock"],
                ["evacuated", "devastated", "sheltered", "stranded"],
                ["homeless", "catastrophic", "humanitarian", "coastal"],
                ["storm", "relief", "crash", "virus"],
                ["a {A} {N} {V} the region and {N} were {V} by the {C}",
                 "{N} searched for {N} after the {X} left thousands {A}",
                 "the {C} {V} {A} families as {X} from the {N} spread inland"]),
        ]),
        new("Sports", ["season", "coach", "fans", "team", "championship", "victory"],
        [
            new("football",
                ["striker", "goalkeeper", "penalty", "midfielder", "stadium", "referee"],
                ["scored", "tackled", "equalised", "dribbled"],
                ["offside", "unbeaten", "relegated", "aerial"],
                ["strike", "attack", "deal"],
                ["the {A} {N} {V} twice as the {C} beat their rivals in front of the {C}",
                 "a late {N} {V} by the {N} kept the {C} {A} after a {X}",
                 "the {N} {V} past the {N} before the {X} that sealed the {C}"]),
            new("tennis",
                ["racket", "tiebreak", "baseline", "volley", "backhand", "grandslam"],
                ["aced", "served", "outlasted", "rallied"],
                ["seeded", "unforced", "grueling", "wildcard"],
                ["court", "record"],
                ["the {A} player {V} on the {X} and won the {N} in straight sets",
                 "after a long {N}, the {A} champion {V} her way into the {X} final",
                 "the {C} watched as a {A} {N} {V} the {N} on centre {X}"]),
            new("athletics",
                ["sprinter", "marathon", "medal", "relay", "hurdles", "swimmer"],
                ["sprinted", "qualified", "swam", "clocked"],
                ["olympic", "fastest", "silver", "indoor"],
                ["record", "gold"],
                ["the {A} {N} {V} a world {X} to win {X} in the {N} final",
                 "the {N} {V} for the {A} {N} as the {C} celebrated another {X}",
                 "after the {N}, the {A} {N} {V} and the {C} praised the {C}"]),
        ]),
        new("Business", ["company", "investors", "shares", "quarter", "profit", "analysts"],
        [
            new("markets",
                ["stocks", "index", "traders", "bonds", "dividend", "nasdaq"],
                ["slumped", "tumbled", "rebounded", "climbed"],
                ["bearish", "bullish", "volatile", "fiscal"],
                ["record", "relief", "crash"],
                ["{N} {V} on {X} as {C} weighed {A} news about the {N}",
                 "the {N} {V} to a {X} after {A} {N} lifted the {C}",
                 "{A} {N} {V} while {C} worried about a {X} in the {N}"]),
            new("mergers",
                ["acquisition", "takeover", "merger", "shareholders", "bid", "buyout"],
                ["acquired", "merged", "divested", "rejected"],
                ["antitrust", "lucrative", "corporate", "regulatory"],
                ["deal", "talks", "court", "trial", "launch"],
                ["the {C} {V} its rival in a {A} {X} valued at two billion dollars",
                 "{C} backed the {A} {N} after {X} with the {N} ended",
                 "a {X} over the {N} was {V} after {A} review by the {X}"]),
            new("energy",
                ["crude", "barrel", "refinery", "pipeline", "opec", "gasoline"],
                ["surged", "pumped", "refined", "drilled"],
                ["offshore", "petroleum", "inflationary", "wholesale"],
                ["storm", "gold", "supply"],
                ["{N} prices {V} after a {X} shut the {A} {N} in the gulf",
                 "the {N} {V} more {N} as {C} feared a {A} {X} shock",
                 "{A} {N} {V} and {C} said {X} prices would stay high"]),
        ]),
        new("SciTech", ["researchers", "technology", "scientists", "study", "data", "engineers"],
        [
            new("space",
                ["satellite", "rocket", "orbit", "astronauts", "telescope", "spacecraft"],
                ["orbited", "docked", "photographed", "landed"],
                ["lunar", "martian", "orbital", "interstellar"],
                ["launch", "record", "crash"],
                ["the {N} {V} the {A} station after a successful {X}",
                 "{C} {V} a {A} {N} using the new {N} before the {X}",
                 "the {A} {N} {V} after a {X} that set a {X}"]),
            new("software",
                ["browser", "hackers", "database", "server", "firmware", "spyware"],
                ["patched", "downloaded", "encrypted", "installed"],
                ["digital", "wireless", "proprietary", "malicious"],
                ["attack", "virus", "launch"],
                ["{N} {V} a {A} {N} after an {X} exposed millions of users",
                 "the {C} {V} the {A} {N} and warned about a new {X}",
                 "a {A} {N} was {V} as {N} prepared the {X} of an update"]),
            new("health",
                ["vaccine", "patients", "gene", "tumor", "protein", "antibodies"],
                ["diagnosed", "cured", "sequenced", "vaccinated"],
                ["genetic", "chronic", "immune", "medical"],
                ["virus", "trial", "supply"],
                ["the {C} {V} {N} with a {A} {X} in a new {X}",
                 "a {A} {N} {V} by {C} could help {N} fight the {X}",
                 "the {N} {V} in the {X} showed {A} benefits for {N}"]),
        ]),
    ];
}
