using ClassifSae.Backbones.Llama;
using ClassifSae.Formats;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Backbones.Decoders;

/// <summary>A bfloat16 checkpoint loads tensor by tensor straight into a bfloat16 model (no float32 copy of the model), bit for bit.</summary>
[Collection(ClassifSae.Tests.Backbones.Decoders.DefaultDtypeCollection.Name)]
public sealed class HalfPrecisionLoadTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bf16-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A tiny Llama folder whose model.safetensors holds bfloat16 tensors; returns them by name.</summary>
    private Dictionary<string, Tensor> Bf16Folder()
    {
        using (var model = LlamaForCausalLM.Random(TinyDecoders.Llama(), seed: 2, std: 0.3)) model.Save(_dir);
        var file = Path.Combine(_dir, SafetensorsWeights.WeightsFile);
        var half = SafetensorsFile.Read(file).ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.BFloat16));
        SafetensorsFile.Write(file, half);
        return half;
    }

    [Fact]
    public void A_bf16_checkpoint_loads_into_bf16_parameters_equal_to_the_files_bits()
    {
        var file = Bf16Folder();
        using var model = LlamaCheckpoint.Load(_dir, LlamaConfig.Llama, ScalarType.BFloat16);
        var state = model.state_dict();
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        foreach (var (name, t) in file)
        {
            // Compared as raw 16-bit patterns: equal bits, not merely equal after rounding.
            using var loaded = state[name].contiguous();
            Assert.True(loaded.bytes.SequenceEqual(t.contiguous().bytes), $"{name}: loaded bits differ from the file's");
        }
        // It computes in bfloat16: a forward gives finite bfloat16 logits.
        using var batch = model.Batch([[1, 5, 9, 30], [1, 7, 31]], padId: 0, maxLength: null, CPU);
        using var _ = no_grad();
        var (hidden, logits) = model.Decision(batch, model.Shape.DecisionHookLayer);
        Assert.Equal(ScalarType.BFloat16, logits.dtype);
        Assert.True(logits.isfinite().all().item<bool>());
        hidden.Dispose();
        logits.Dispose();
    }

    [Fact]
    public void Loading_reads_one_tensor_at_a_time_and_a_float32_model_gets_the_exact_widened_values()
    {
        var file = Bf16Folder();
        var path = Path.Combine(_dir, SafetensorsWeights.WeightsFile);
        var fileBytes = new FileInfo(path).Length;
        var names = new List<string>();
        var largest = SafetensorsFile.ReadEach(path, (name, t) => names.Add(name));
        var biggestTensor = file.Values.Max(t => t.numel() * 2);
        output.WriteLine($"file {fileBytes} bytes, {names.Count} tensors; the reader's buffer peaks at one tensor, {largest} bytes");
        Assert.Equal(biggestTensor, largest);
        Assert.True(largest < fileBytes / 4, "the reader buffered more than one tensor");
        Assert.Equal(file.Keys.Order(), names.Order());

        using var model = LlamaCheckpoint.Load(_dir, LlamaConfig.Llama);
        var state = model.state_dict();
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        foreach (var (name, t) in file)
            Assert.True(state[name].eq(t.to(ScalarType.Float32)).all().item<bool>(), $"{name}: not the widened bfloat16 value");
    }
}
