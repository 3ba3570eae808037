using System.Globalization;
using System.Text;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// <c>concepts.html</c>: every selected concept of the newest runs as a card (segment class, activation rate, its own causal
/// effect, a histogram of its activations over the test sentences, top activating sentences folded), with filters by method and class and a word search. One static file: the
/// filter is a few lines of inline script over the cards (also set from the link: <c>concepts.html?method=sae&amp;class=sports&amp;q=goal</c>),
/// nothing is fetched, and without script every card is shown.
/// </summary>
internal static class ConceptBrowser
{
    public const string FileName = "concepts.html";

    private const string Css = """
        .filters { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #d0d7de; z-index: 1; }
        .filters label { margin-right: 1rem; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: .8rem; margin-top: .8rem; }
        article.concept { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .8rem; }
        article.concept h3 { margin: .2rem 0; font-size: 1rem; border: 0; }
        article.concept .facts { font-size: .85rem; color: #57606a; margin: .2rem 0; }
        article.concept table { font-size: .8rem; margin: .4rem 0; }
        article.concept:target { outline: 3px solid #636EFA; }
        article.concept figure.histogram { margin: .3rem 0; }
        article.concept figure.histogram figcaption { font-size: .75rem; color: #57606a; }
        """;

    private const string Script = """
        (function () {
          var cards = Array.prototype.slice.call(document.querySelectorAll('article.concept'));
          var method = document.getElementById('f-method'), cls = document.getElementById('f-class');
          var query = document.getElementById('f-query'), count = document.getElementById('f-count');
          function apply() {
            var words = query.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
            var shown = 0;
            cards.forEach(function (card) {
              var text = card.textContent.toLowerCase();
              var ok = (!method.value || card.dataset.method === method.value)
                && (!cls.value || card.dataset.class === cls.value)
                && words.every(function (w) { return text.indexOf(w) >= 0; });
              card.hidden = !ok;
              if (ok) shown++;
            });
            count.textContent = shown + ' of ' + cards.length + ' concepts shown';
          }
          // A link can carry a filter: concepts.html?method=sae&class=sports&q=goal
          var params = new URLSearchParams(window.location.search);
          if (params.has('method')) method.value = params.get('method');
          if (params.has('class')) cls.value = params.get('class');
          if (params.has('q')) query.value = params.get('q');
          method.addEventListener('change', apply);
          cls.addEventListener('change', apply);
          query.addEventListener('input', apply);
          apply();
        })();
        """;

    public static string Build(ResultsStore store)
    {
        var concepts = store.Query("""
            SELECT r.profile, r.model, r.dataset, r.seed, c.method, c.concept, c.segment_class, c.segment_class_name, c.segment_rank,
                   c.activation_rate_pct, c.subtopic_purity, c.run_id, e.label_flip, e.tvd, e.active_sentences
            FROM concepts c JOIN latest_runs r USING (run_id)
            LEFT JOIN concept_effects e ON e.run_id = c.run_id AND e.method = c.method AND e.concept = c.concept
            WHERE c.selected
            ORDER BY r.profile, r.model, r.dataset, r.seed, c.method, c.segment_class NULLS LAST, c.segment_rank, c.concept
            """).Rows;
        var sentences = store.Query("""
            SELECT t.run_id, t.method, t.concept, t.rank, t.activation, t.label, t.text
            FROM top_sentences t JOIN latest_runs r USING (run_id)
            ORDER BY t.run_id, t.method, t.concept, t.rank
            """).Rows.ToLookup(r => ((string)r[0]!, (string)r[1]!, Convert.ToInt32(r[2])));
        var histograms = store.Query("""
            SELECT h.run_id, h.method, h.concept, h.lower, h.upper, h.sentences
            FROM concept_histograms h JOIN latest_runs r USING (run_id)
            ORDER BY h.run_id, h.method, h.concept, h.bin
            """).Rows.ToLookup(r => ((string)r[0]!, (string)r[1]!, Convert.ToInt32(r[2])),
                r => new ConceptHistogramSvg.Bin(Convert.ToDouble(r[3]), Convert.ToDouble(r[4]), Convert.ToInt32(r[5])));

        var sb = new StringBuilder();
        sb.Append("<h1>Concept browser</h1>\n<p><a href=\"summary.html\">back to the report</a>. The selected concepts of the newest runs: ");
        sb.Append("segment class, activation rate, causal effect (label-flip rate when the concept alone is removed where it is active) ");
        sb.Append("and the test sentences that activate it most. Filter by method or class, or search for words in a concept's sentences.</p>\n");
        if (concepts.Count == 0)
        {
            sb.Append("<p>No concepts recorded yet (the Evaluate stage writes them).</p>\n");
            return HtmlPage.Wrap(sb.ToString(), "ClassifSAE concept browser");
        }
        var methods = concepts.Select(r => (string)r[4]!).Distinct().OrderBy(MethodLabels.Order).ThenBy(m => m, StringComparer.Ordinal).ToList();
        var classes = concepts.Select(r => ClassOf(r)).Distinct().Order(StringComparer.Ordinal).ToList();
        sb.Append("<div class=\"filters\"><label>method <select id=\"f-method\"><option value=\"\">all</option>");
        foreach (var m in methods) sb.Append($"<option value=\"{Html.Esc(m)}\">{Html.Esc(MethodLabels.Of(m))}</option>");
        sb.Append("</select></label><label>class <select id=\"f-class\"><option value=\"\">all</option>");
        foreach (var c in classes) sb.Append($"<option value=\"{Html.Esc(c)}\">{Html.Esc(c)}</option>");
        sb.Append("</select></label><label>search <input id=\"f-query\" type=\"search\" placeholder=\"a word in the sentences\"></label>");
        sb.Append(CultureInfo.InvariantCulture, $"<span id=\"f-count\">{concepts.Count} concepts</span></div>\n<div class=\"cards\">\n");
        foreach (var r in concepts)
        {
            var (method, concept) = ((string)r[4]!, Convert.ToInt32(r[5]));
            var id = Html.Anchor("concept", r[0], r[1], r[2], "seed", r[3], method, concept);
            sb.Append(CultureInfo.InvariantCulture, $"<article class=\"concept\" id=\"{id}\" data-method=\"{Html.Esc(method)}\" data-class=\"{Html.Esc(ClassOf(r))}\">\n");
            sb.Append(CultureInfo.InvariantCulture, $"<h3>{Html.Esc(MethodLabels.Of(method))} #{concept} — {Html.Esc(ClassOf(r))}</h3>\n");
            sb.Append(CultureInfo.InvariantCulture,
                $"<p class=\"facts\">{Html.Esc($"{r[1]} / {r[2]}, seed {r[3]}")}; rank {(r[8] is null ? ReportText.Missing : r[8])} in its segment; ");
            sb.Append(CultureInfo.InvariantCulture, $"activation rate {Html.Num(Dbl(r[9]))} %; ");
            sb.Append(r[12] is null
                ? "causal effect not recorded"
                : string.Create(CultureInfo.InvariantCulture, $"label-flip rate {Html.Num(Dbl(r[12]))} (TVD {Html.Num(Dbl(r[13]))}) over {r[14]} active sentences"));
            if (r[10] is not null) sb.Append(CultureInfo.InvariantCulture, $"; sub-topic purity {Html.Num(Dbl(r[10]))}");
            sb.Append(".</p>\n");
            var bins = histograms[((string)r[11]!, method, concept)].ToList();
            if (bins.Count > 0)
                sb.Append(CultureInfo.InvariantCulture,
                    $"<figure class=\"histogram\">{ConceptHistogramSvg.Render(bins)}<figcaption>activation over {bins.Sum(b => b.Sentences)} test sentences (bar height: log scale)</figcaption></figure>\n");
            var top = sentences[((string)r[11]!, method, concept)].ToList();
            if (top.Count == 0) sb.Append("<p class=\"facts\">No top sentences recorded.</p>\n");
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"<details><summary>top {top.Count} sentences</summary><table><thead><tr><th>#</th><th>activation</th><th>label</th><th>sentence</th></tr></thead><tbody>\n");
                foreach (var s in top)
                    sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{s[3]}</td><td>{Html.Num(Dbl(s[4]))}</td><td>{s[5]}</td><td>{Html.Esc((string)s[6]!)}</td></tr>\n");
                sb.Append("</tbody></table></details>\n");
            }
            sb.Append("</article>\n");
        }
        sb.Append("</div>\n");
        return HtmlPage.Wrap(sb.ToString(), "ClassifSAE concept browser", Css, Script);
    }

    private static string ClassOf(IReadOnlyList<object?> r) => r[6] is null ? "no segment" : (string?)r[7] ?? $"class {r[6]}";

    private static double? Dbl(object? v) => v is null ? null : Convert.ToDouble(v);
}
