using static TorchSharp.torch;

namespace ClassifSae.Concepts;

/// <summary>Row-batched application of a function, so large splits never go through a module at once.</summary>
public static class Batched
{
    public static Tensor Apply(Tensor x, int batch, Func<Tensor, Tensor> f)
    {
        var parts = new List<Tensor>();
        for (long s = 0; s < x.size(0); s += batch)
            parts.Add(f(x[(int)s..(int)Math.Min(x.size(0), s + batch)]));
        var result = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return result;
    }
}
