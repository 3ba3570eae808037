using ClassifSae.Formats.Onnx;
using static TorchSharp.torch;

namespace ClassifSae.Backbones.Packaged;

/// <summary>
/// A BERT's Hugging Face state dict from the initializers of its PyTorch ONNX export. Named initializers keep their names (the
/// pooler's Gemm weight is stored [out, in] already). The exporter leaves each Linear's weight anonymous, as the right operand
/// of a MatMul stored [in, out]: it takes the name of the bias the graph adds right after (<c>X.bias</c> → <c>X.weight</c>) and
/// is transposed to torch's [out, in]. The int64 <c>embeddings.position_ids</c> buffer is kept (transformers saved it then); the
/// other int64 initializers are the graph's shape constants, not weights.
/// </summary>
public static class OnnxBertWeights
{
    public static Dictionary<string, Tensor> Convert(OnnxModel model, string source)
    {
        var named = model.Initializers.Where(i => i.DataType == OnnxInitializer.Float).ToDictionary(i => i.Name, StringComparer.Ordinal);
        var weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var anonymous = named.Keys.Where(n => !IsHfName(n)).ToHashSet(StringComparer.Ordinal);
        var producerOf = model.Nodes.Where(n => n.OpType == "MatMul" && n.Inputs.Count == 2 && anonymous.Contains(n.Inputs[1]))
            .ToDictionary(n => n.Outputs[0], n => n.Inputs[1], StringComparer.Ordinal);
        foreach (var add in model.Nodes.Where(n => n.OpType == "Add" && n.Inputs.Count == 2))
        {
            var matmul = add.Inputs.FirstOrDefault(producerOf.ContainsKey);
            var bias = add.Inputs.FirstOrDefault(i => i.EndsWith(".bias", StringComparison.Ordinal) && named.ContainsKey(i));
            if (matmul is null || bias is null) continue;
            var init = named[producerOf[matmul]];
            var name = bias[..^".bias".Length] + ".weight";
            if (init.Dims.Length != 2) throw new InvalidDataException($"{source}: MatMul weight '{init.Name}' for '{name}' is not a matrix");
            if (!weights.TryAdd(name, FromBytes(init).t().contiguous()))
                throw new InvalidDataException($"{source}: two MatMul weights are named '{name}' by their bias");
            anonymous.Remove(init.Name);
        }
        if (anonymous.Count > 0)
            throw new InvalidDataException($"{source}: {anonymous.Count} float initializer(s) without a Hugging Face name, e.g. '{anonymous.First()}'");
        foreach (var (name, init) in named.Where(kv => IsHfName(kv.Key))) weights.Add(name, FromBytes(init));
        if (model.Initializers.FirstOrDefault(i => i.Name == PositionIds && i.DataType == OnnxInitializer.Int64) is { } positions)
            weights.Add(PositionIds, FromInt64(positions));
        return weights;
    }

    /// <summary>State-dict names are dotted module paths ending in weight or bias; the exporter's own names (<c>onnx::MatMul_1</c>, <c>123</c>) are not.</summary>
    private static bool IsHfName(string name) =>
        !name.Contains("::", StringComparison.Ordinal) && (name.EndsWith(".weight", StringComparison.Ordinal) || name.EndsWith(".bias", StringComparison.Ordinal));

    private const string PositionIds = "embeddings.position_ids";

    private static Tensor FromInt64(OnnxInitializer init)
    {
        var values = new long[init.Data.Length / sizeof(long)];
        Buffer.BlockCopy(init.Data, 0, values, 0, values.Length * sizeof(long));
        return tensor(values, init.Dims);
    }

    private static Tensor FromBytes(OnnxInitializer init)
    {
        var count = init.Dims.Aggregate(1L, (a, b) => a * b);
        if (init.Data.LongLength != count * sizeof(float))
            throw new InvalidDataException($"initializer '{init.Name}' holds {init.Data.LongLength} bytes, expected {count * sizeof(float)}");
        var values = new float[count];
        Buffer.BlockCopy(init.Data, 0, values, 0, init.Data.Length);
        return tensor(values, init.Dims);
    }
}
