using System.Text;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// The self-contained HTML report, from the results store only (no stage folder is read): the Markdown summary and paper
/// tables, then the methods compared, causality (per class and ablated share, per concept), confusion matrices, training
/// curves, activation-rate histograms, SentenceSim(k) curves, the concept PCA and an index into the concept browser
/// (concepts.html). Figures are inline SVG; the page has no scripts and fetches nothing at view time.
/// </summary>
public static class HtmlReport
{
    public static string Build(ResultsStore store, string markdown, string title)
    {
        var sb = new StringBuilder();
        sb.Append("<nav class=\"toc\"><strong>Contents:</strong> <a href=\"#paper-tables\">paper tables</a> · <a href=\"#comparison\">methods compared</a> · ");
        sb.Append("<a href=\"#causality\">causality</a> · <a href=\"#confusion\">confusion matrices</a> · <a href=\"#training-curves\">training curves</a> · ");
        sb.Append("<a href=\"#activation-rates\">activation rates</a> · <a href=\"#sentencesim\">SentenceSim(k)</a> · <a href=\"#pca\">concept PCA</a> · ");
        sb.Append($"<a href=\"#concepts\">concepts</a> (<a href=\"{ConceptBrowser.FileName}\">browser</a>) · <a href=\"#runs\">runs</a></nav>\n");
        sb.Append(HtmlPage.ToHtml(markdown));
        sb.Append(MethodComparisonFigures.Render(store));
        sb.Append(CausalityFigures.Render(store));
        sb.Append(ConfusionFigures.Render(store));
        sb.Append(TrainingCurveFigures.Render(store));
        sb.Append(ActivationRateHistograms.Render(store));
        sb.Append(SentenceSimFigures.Render(store));
        sb.Append(ConceptPcaFigures.Render(store));
        sb.Append(ConceptPages.Render(store));
        return HtmlPage.Wrap(sb.ToString(), title);
    }
}
