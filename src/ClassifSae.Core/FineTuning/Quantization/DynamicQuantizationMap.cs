namespace ClassifSae.FineTuning.Quantization;

/// <summary>
/// bitsandbytes' dynamic 8-bit data type (<c>create_dynamic_map</c>, Dettmers 2016): 256 sorted float32 code values, an
/// exponent that falls from 10^0 to 10^-6 while the linear fraction gets more bits, mirrored for the signed map, plus 0 and
/// 1. The signed map stores Adam's first moment, the unsigned one its second.
/// </summary>
public static class DynamicQuantizationMap
{
    public static float[] Create(bool signed, int maxExponentBits = 7, int totalBits = 8)
    {
        var data = new List<float>();
        var nonSignBits = totalBits - 1;
        var additional = (1 << (nonSignBits - maxExponentBits)) - 1;
        var i = 0;
        for (; i < maxExponentBits; i++)
        {
            var fractionItems = signed ? (1 << (i + nonSignBits - maxExponentBits)) + 1 : (1 << (i + nonSignBits - maxExponentBits + 1)) + 1;
            AddMeans(data, fractionItems, i, maxExponentBits, signed);
        }
        if (additional > 0) AddMeans(data, additional + 1, i - 1, maxExponentBits, signed);
        data.Add(0f);
        data.Add(1f);
        if (data.Count != 1 << totalBits) throw new InvalidOperationException($"the dynamic map has {data.Count} values, not {1 << totalBits}");
        data.Sort();
        return [.. data];
    }

    /// <summary>The midpoints of <paramref name="items"/> float32 boundaries linspace(0.1, 1), scaled by 10^(i − (maxExponentBits − 1)).</summary>
    private static void AddMeans(List<float> data, int items, int i, int maxExponentBits, bool signed)
    {
        var boundaries = Linspace(0.1f, 1f, items);
        var scale = (float)Math.Pow(10, -(maxExponentBits - 1) + i);
        var means = new float[items - 1];
        for (var j = 0; j < means.Length; j++) means[j] = (boundaries[j] + boundaries[j + 1]) / 2f;
        // Python multiplies a float scale into a float32 tensor (float32 result), then .tolist() widens to double; the final
        // torch.tensor(data, float32) rounds back, so the float32 product is the value.
        foreach (var m in means) data.Add(scale * m);
        if (signed) foreach (var m in means) data.Add(-scale * m);
    }

    /// <summary>torch.linspace in float32: start + step·j for the first half, end − step·(n−1−j) for the second.</summary>
    private static float[] Linspace(float start, float end, int steps)
    {
        var result = new float[steps];
        if (steps == 1) { result[0] = start; return result; }
        var step = (end - start) / (steps - 1);
        var half = steps / 2;
        for (var j = 0; j < steps; j++) result[j] = j < half ? start + step * j : end - step * (steps - 1 - j);
        return result;
    }
}
