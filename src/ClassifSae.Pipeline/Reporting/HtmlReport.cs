using System.Text;
using ClassifSae.Results;

namespace ClassifSae.Reporting;

/// <summary>
/// The self-contained HTML report: the Markdown summary and paper tables, then training curves, activation-rate
/// histograms, SentenceSim(k) curves, the concept PCA and a section per concept with its top sentences — all from the
/// results store (and the curve files its stages list), figures as inline SVG, no scripts and nothing fetched at view time.
/// </summary>
public static class HtmlReport
{
    /// <param name="runsFolder">What the store's relative paths (artefacts.path) are relative to; null = the current folder.</param>
    public static string Build(ResultsStore store, string markdown, string title, string? runsFolder = null)
    {
        var sb = new StringBuilder();
        sb.Append("<nav class=\"toc\"><strong>Contents:</strong> <a href=\"#paper-tables\">paper tables</a> · <a href=\"#training-curves\">training curves</a> · ");
        sb.Append("<a href=\"#activation-rates\">activation rates</a> · <a href=\"#sentencesim\">SentenceSim(k)</a> · <a href=\"#pca\">concept PCA</a> · ");
        sb.Append("<a href=\"#concepts\">concepts</a> · <a href=\"#runs\">runs</a></nav>\n");
        sb.Append(HtmlPage.ToHtml(markdown));
        sb.Append(TrainingCurveFigures.Render(store));
        sb.Append(ActivationRateHistograms.Render(store));
        sb.Append(SentenceSimFigures.Render(store));
        sb.Append(ConceptPcaFigures.Render(store));
        sb.Append(ConceptPages.Render(store));
        return HtmlPage.Wrap(sb.ToString(), title);
    }
}
