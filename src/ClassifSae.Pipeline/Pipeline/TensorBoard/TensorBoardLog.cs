using System.Net;
using ClassifSae.Runtime;

namespace ClassifSae.Pipeline.TensorBoard;

/// <summary>
/// A training loop's scalars as a TensorBoard run: <c>&lt;stage folder&gt;/tensorboard/&lt;name&gt;/events.out.tfevents.*</c>.
/// The stage folder is the stage's temporary one, so the events move into place with the finished stage (and a killed
/// stage's are deleted with its temporary folder); <c>tensorboard --logdir runs/&lt;profile&gt;</c> finds them all.
/// </summary>
public sealed class TensorBoardLog : ITrainingLog, IDisposable
{
    public const string Folder = "tensorboard";

    private readonly EventFileWriter _writer;

    private TensorBoardLog(EventFileWriter writer) => _writer = writer;

    public static string RunFolder(string stageFolder, string name) => Path.Combine(stageFolder, Folder, name);

    public static TensorBoardLog Create(string stageFolder, string name)
    {
        var folder = RunFolder(stageFolder, name);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"events.out.tfevents.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Dns.GetHostName()}.{Environment.ProcessId}");
        return new TensorBoardLog(new EventFileWriter(path));
    }

    public void Scalar(string tag, long step, double value) => _writer.Scalar(tag, step, (float)value);

    public void Dispose() => _writer.Dispose();
}
