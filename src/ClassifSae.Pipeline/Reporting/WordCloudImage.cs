using SkiaSharp;

namespace ClassifSae.Reporting;

/// <summary>
/// A concept's word cloud (spec 04 §6.5) as a PNG: white background, 800 × 400 pixels, the keywords' font sizes proportional to
/// their scores with wordcloud's relative scaling 0.5 (size ∝ 0.5 + 0.5 · score / max, never above the previous word's), the
/// Dark2 palette, every word placed
/// horizontally on an Archimedean spiral from the centre at the first spot where it overlaps no earlier word, shrunk until it
/// fits (words that fit nowhere at 8 px are left out). Upstream's layout and colours are random on every run (its random_state
/// is None), so no pixel parity is sought; this layout is deterministic.
/// </summary>
public static class WordCloudImage
{
    public const int Width = 800, Height = 400;
    private const float Margin = 2, MinFont = 8;

    private static readonly SKColor[] Dark2 =
    [
        new(0x1b, 0x9e, 0x77), new(0xd9, 0x5f, 0x02), new(0x75, 0x70, 0xb3), new(0xe7, 0x29, 0x8a),
        new(0x66, 0xa6, 0x1e), new(0xe6, 0xab, 0x02), new(0xa6, 0x76, 0x1d), new(0x66, 0x66, 0x66),
    ];

    /// <summary>The words drawn and their boxes, for tests and alt texts.</summary>
    public sealed record Placed(string Word, float FontSize, SKRect Box);

    public static (byte[] Png, IReadOnlyList<Placed> Words) Render(IReadOnlyList<(string Word, double Score)> keywords)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var words = keywords.Where(k => k.Score > 0 && k.Word.Length > 0).OrderByDescending(k => k.Score).ThenBy(k => k.Word, StringComparer.Ordinal).ToList();
        var placed = new List<Placed>();
        if (words.Count > 0)
        {
            var max = words[0].Score;
            // The largest word takes at most ~90 % of the width or 45 % of the height.
            var top = Height * 0.3f;
            // As in wordcloud, a word is never larger than the one before it, so a word shrunk to fit shrinks the rest.
            var cap = top;
            var typeface = SKTypeface.Default; // shared by Skia: not disposed here
            for (var w = 0; w < words.Count; w++)
            {
                var size = MathF.Min(cap, top * (float)(0.5 + 0.5 * words[w].Score / max));
                using var paint = new SKPaint { IsAntialias = true, Color = Dark2[w % Dark2.Length] };
                for (; size >= MinFont; size -= 2)
                {
                    using var font = new SKFont(typeface, size);
                    var width = font.MeasureText(words[w].Word);
                    if (width + 2 * Margin > Width) continue;
                    var metrics = font.Metrics;
                    var height = metrics.Descent - metrics.Ascent;
                    if (Spot(width + 2 * Margin, height + 2 * Margin, placed) is not { } box) continue;
                    canvas.DrawText(words[w].Word, box.Left + Margin, box.Top + Margin - metrics.Ascent, SKTextAlign.Left, font, paint);
                    placed.Add(new Placed(words[w].Word, size, box));
                    cap = size;
                    break;
                }
            }
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return (data.ToArray(), placed);
    }

    /// <summary>The first free box of the given size on a spiral from the centre, or null.</summary>
    private static SKRect? Spot(float w, float h, List<Placed> placed)
    {
        for (var t = 0f; t < 400; t += 0.05f)
        {
            var r = 4 * t;
            if (r > Width) break;
            // Flattened spiral: the canvas is twice as wide as tall.
            var cx = Width / 2f + r * MathF.Cos(t);
            var cy = Height / 2f + r / 2 * MathF.Sin(t);
            var box = SKRect.Create(cx - w / 2, cy - h / 2, w, h);
            if (box.Left < 0 || box.Top < 0 || box.Right > Width || box.Bottom > Height) continue;
            if (placed.All(p => !p.Box.IntersectsWith(box))) return box;
        }
        return null;
    }
}
