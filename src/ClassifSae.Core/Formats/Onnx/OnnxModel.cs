namespace ClassifSae.Formats.Onnx;

/// <summary>An ONNX initializer: name, element type (ONNX TensorProto.DataType: 1 = float, 7 = int64), dims and raw little-endian bytes.</summary>
public sealed record OnnxInitializer(string Name, int DataType, long[] Dims, byte[] Data)
{
    public const int Float = 1;
    public const int Int64 = 7;
}

/// <summary>A graph node: operator and the value names it reads and writes.</summary>
public sealed record OnnxNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);

/// <summary>
/// The parts of an ONNX model (ModelProto.graph) a weight conversion needs: the initializers and the nodes, in file order.
/// Field numbers are onnx.proto's: ModelProto.graph 7; GraphProto node 1, initializer 5; NodeProto input 1, output 2,
/// op_type 4; TensorProto dims 1, data_type 2, float_data 4, int64_data 7, name 8, raw_data 9.
/// </summary>
public sealed record OnnxModel(IReadOnlyList<OnnxInitializer> Initializers, IReadOnlyList<OnnxNode> Nodes)
{
    public static OnnxModel Read(ReadOnlySpan<byte> bytes, string source)
    {
        var model = new ProtobufReader(bytes, source);
        while (!model.End)
        {
            var (field, wire) = model.Tag();
            if (field == 7 && wire == 2) return ReadGraph(model.Block(), source);
            model.Skip(wire);
        }
        throw new InvalidDataException($"{source}: an ONNX model without a graph");
    }

    private static OnnxModel ReadGraph(ReadOnlySpan<byte> bytes, string source)
    {
        var (initializers, nodes) = (new List<OnnxInitializer>(), new List<OnnxNode>());
        var graph = new ProtobufReader(bytes, source);
        while (!graph.End)
        {
            var (field, wire) = graph.Tag();
            if (field == 1 && wire == 2) nodes.Add(ReadNode(graph.Block(), source));
            else if (field == 5 && wire == 2) initializers.Add(ReadTensor(graph.Block(), source));
            else graph.Skip(wire);
        }
        return new OnnxModel(initializers, nodes);
    }

    private static OnnxNode ReadNode(ReadOnlySpan<byte> bytes, string source)
    {
        var (inputs, outputs, op) = (new List<string>(), new List<string>(), "");
        var node = new ProtobufReader(bytes, source);
        while (!node.End)
        {
            var (field, wire) = node.Tag();
            switch (field, wire)
            {
                case (1, 2): inputs.Add(node.String()); break;
                case (2, 2): outputs.Add(node.String()); break;
                case (4, 2): op = node.String(); break;
                default: node.Skip(wire); break;
            }
        }
        return new OnnxNode(op, inputs, outputs);
    }

    private static OnnxInitializer ReadTensor(ReadOnlySpan<byte> bytes, string source)
    {
        var (dims, name, type) = (new List<long>(), "", 0);
        byte[]? raw = null;
        var floats = new List<float>();
        var longs = new List<long>();
        var tensor = new ProtobufReader(bytes, source);
        while (!tensor.End)
        {
            var (field, wire) = tensor.Tag();
            switch (field, wire)
            {
                case (1, 0): dims.Add((long)tensor.Varint()); break;
                case (1, 2): Packed(tensor.Block(), source, v => dims.Add(v)); break;
                case (2, 0): type = (int)tensor.Varint(); break;
                case (4, 2):
                    var block = tensor.Block();
                    for (var i = 0; i + 4 <= block.Length; i += 4) floats.Add(BitConverter.ToSingle(block.Slice(i, 4)));
                    break;
                case (7, 0): longs.Add((long)tensor.Varint()); break;
                case (7, 2): Packed(tensor.Block(), source, v => longs.Add(v)); break;
                case (8, 2): name = tensor.String(); break;
                case (9, 2): raw = tensor.Block().ToArray(); break;
                default: tensor.Skip(wire); break;
            }
        }
        raw ??= type == OnnxInitializer.Float
            ? floats.SelectMany(BitConverter.GetBytes).ToArray()
            : longs.SelectMany(BitConverter.GetBytes).ToArray();
        return new OnnxInitializer(name, type, dims.ToArray(), raw);
    }

    private static void Packed(ReadOnlySpan<byte> block, string source, Action<long> add)
    {
        var reader = new ProtobufReader(block, source);
        while (!reader.End) add((long)reader.Varint());
    }
}
