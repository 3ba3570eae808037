using ClassifSae.Pipeline.TensorBoard;

namespace ClassifSae.Tests.Pipeline.TensorBoard;

public sealed class EventFileWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tfevents-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Writes_a_version_record_then_one_scalar_event_per_value_with_step_and_wall_time()
    {
        var path = Path.Combine(_dir, "events.out.tfevents.1.h.1");
        var clock = 1_700_000_000.25;
        using (var w = new EventFileWriter(path, () => clock += 1))
        {
            w.Scalar("loss/total", 0, 2.5f);
            w.Scalar("loss/total", 10, 1.25f);
            w.Scalar("learning_rate", 300_000, 5e-4f);   // a step needing a 3-byte varint
        }
        var events = EventFileReader.Read(path);

        Assert.Equal(4, events.Count);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Empty(events[0].Values);
        Assert.Equal([1_700_000_001.25, 1_700_000_002.25, 1_700_000_003.25, 1_700_000_004.25], events.Select(e => e.WallTime));
        Assert.Equal([0L, 10L, 300_000L], events.Skip(1).Select(e => e.Step));
        Assert.Equal([("loss/total", 2.5f)], events[1].Values);
        Assert.Equal([("loss/total", 1.25f)], events[2].Values);
        Assert.Equal([("learning_rate", 5e-4f)], events[3].Values);
    }

    [Fact]
    public void Each_record_is_on_disk_when_scalar_returns_and_a_cut_record_leaves_the_earlier_ones_readable()
    {
        var path = Path.Combine(_dir, "events.out.tfevents.2.h.1");
        using (var w = new EventFileWriter(path))
        {
            w.Scalar("a", 1, 1f);
            w.Scalar("a", 2, 2f);
            // Read while the writer is still open: what a live TensorBoard sees.
            Assert.Equal([(1L, 1f), (2L, 2f)], EventFileReader.Scalars(path)["a"]);
        }
        // A run killed mid-record: the last record is cut; the others still read.
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^7]);
        Assert.Equal([(1L, 1f)], EventFileReader.Scalars(path)["a"]);
    }

    [Fact]
    public void A_flipped_byte_fails_the_data_crc()
    {
        var path = Path.Combine(_dir, "events.out.tfevents.3.h.1");
        using (var w = new EventFileWriter(path)) w.Scalar("a", 1, 1f);
        var bytes = File.ReadAllBytes(path);
        bytes[^6] ^= 0x01;   // inside the last record's float
        File.WriteAllBytes(path, bytes);
        Assert.Contains("bad data CRC", Assert.Throws<InvalidDataException>(() => EventFileReader.Read(path)).Message);
    }

    /// <summary>
    /// The reader against an independent writer: TorchSharp's own SummaryWriter (its TFRecord framing and the protobuf
    /// library's Event encoding). Our reader decodes its file, CRCs checked, to the values it was given.
    /// </summary>
    [Fact]
    public void The_reader_decodes_torchsharps_summary_writer_files()
    {
        var folder = Path.Combine(_dir, "torchsharp");
        var writer = TorchSharp.torch.utils.tensorboard.SummaryWriter(folder);
        writer.add_scalar("loss", 0.75f, 3);
        writer.add_scalar("loss", 0.5f, 7);
        var scalars = EventFileReader.Scalars(EventFileReader.SingleFile(folder));
        Assert.Equal([(3L, 0.75f), (7L, 0.5f)], scalars["loss"]);
    }

    [Fact]
    public void The_log_writes_under_the_stage_folders_tensorboard_run()
    {
        using (var log = TensorBoardLog.Create(_dir, "sae"))
        {
            log.Scalar("loss/mse", 10, 0.123456789);
        }
        var file = EventFileReader.SingleFile(Path.Combine(_dir, "tensorboard", "sae"));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(file));
        Assert.Equal([(10L, 0.123456789f)], EventFileReader.Scalars(file)["loss/mse"]);
    }
}
