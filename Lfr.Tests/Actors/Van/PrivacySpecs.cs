using Akka.Actor;
using System.Text.RegularExpressions;
using Akka.Event;
using Akka.Streams.Dsl;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Tests.Fixtures;
using OpenCvSharp;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Cameras.CameraSupervisorProtocol;

namespace Lfr.Tests.Actors.Van;

/// <summary>Rule 3: faces that match nobody leave no trace — no message, no log line, no file, and pixelated in the view.</summary>
[Collection(VanCollection.Name)]
public sealed partial class PrivacySpecs(VanEngine van, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = DEBUG").WithFallback(VanConfig.Default), output: output)
{
    private const string Clip = "face_recognition/video/short_hamilton_clip.mp4";

    [SharedDataFact(Clip)]
    public async Task Pipeline_should_let_no_face_data_out_when_nobody_in_view_is_enrolled()
    {
        var logs = CreateTestProbe("logs");
        Sys.EventStream.Subscribe(logs.Ref, typeof(LogEvent));
        var alerts = this.AckingAlertSink();
        var views = CreateTestProbe("views");
        var health = CreateTestProbe("health");
        Sys.EventStream.Subscribe(health.Ref, typeof(CameraHealth));
        var before = Files.Snapshot();

        var supervisor = Sys.ActorOf(CameraSupervisor.Props(van.Engine, van.Settings, alerts.Ref,
            _ => Sink.ForEach<OperatorViewFrame>(v => views.Ref.Tell(v)).MapMaterializedValue(_ => Akka.NotUsed.Instance)));
        // people from elsewhere: every face in the clip is searched against them and matches none
        await Van.StartDeployment(supervisor, van.Watchlist(
            ("wl-1", "lfw-dev/images/Aaron_Sorkin/Aaron_Sorkin_0001.jpg"),
            ("wl-2", "lfw-dev/images/Abdoulaye_Wade/Abdoulaye_Wade_0001.jpg"),
            ("wl-3", "face_recognition/images/obama.jpg")));
        var camera = Van.VideoCamera("cam-privacy", Clip);
        supervisor.Tell(new StartCamera(camera));
        var ended = health.AwaitEnded(camera.Id);
        Output!.WriteLine($"frames {ended.FramesIn}, faces {ended.Faces}, tracks {ended.Tracks}, alerts {ended.Alerts}");
        Assert.True(ended.Faces > 100, "the clip is full of faces, all of them searched");

        // no message: not a single alert candidate
        Assert.Empty(alerts.Drain<AlertProtocol.AlertCandidate>());
        Assert.Equal(0, ended.Alerts);

        // no log line with an embedding, a watchlist entry, an image path or a face position
        var lines = logs.Drain<LogEvent>().Select(e => e.ToString()).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line =>
        {
            Assert.DoesNotMatch(Numbers(), line);
            Assert.DoesNotContain("wl-", line);
            Assert.DoesNotContain(SharedData.PathOf(""), line);
            Assert.DoesNotMatch(ImageNames(), line);
        });

        // no file: nothing new or changed holding an image, wherever this process writes
        Assert.Empty(Files.NewImages(before));

        // and in the operator view nobody can be recognised: whatever the detector still finds in a pixelated blob is
        // no closer to the person in the clip than a stranger is (unpixelated, he scores ~0.75)
        var shown = views.Drain<OperatorViewFrame>();
        Assert.NotEmpty(shown);
        var miranda = van.Embed("face_recognition/images/lin-manuel-miranda.png");
        var closest = -1f;
        var found = 0;
        foreach (var view in shown)
        {
            using var image = Cv2.ImDecode(view.Jpeg, ImreadModes.Color);
            var (faces, _) = van.Engine.Embed(image, van.Engine.Detect(image), applyQualityGate: false);
            found += faces.Count;
            foreach (var face in faces)
                closest = Math.Max(closest, System.Numerics.Tensors.TensorPrimitives.Dot(face.Embedding, miranda));
        }
        Output!.WriteLine($"{shown.Count} view frames, {shown.Sum(v => v.Faces)} faces pixelated; {found} blobs still detected, best cosine to Miranda {closest:0.000}");
        Assert.InRange(closest, -1f, 0.3f);
    }

    // eight or more decimals in a row is a vector, whatever the separator
    [GeneratedRegex(@"(-?\d+\.\d+[,;\s\]]+){8,}")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"\.(png|jpe?g|bmp|webp)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ImageNames();

    private static class Files
    {
        private static IEnumerable<string> Roots() =>
            new[] { Path.GetTempPath(), Environment.CurrentDirectory, AppContext.BaseDirectory }.Distinct().Where(Directory.Exists);

        public static Dictionary<string, DateTime> Snapshot() =>
            Roots().SelectMany(root => Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
                .Distinct().ToDictionary(f => f, File.GetLastWriteTimeUtc);

        public static List<string> NewImages(Dictionary<string, DateTime> before) =>
            Snapshot().Where(f => !before.TryGetValue(f.Key, out var was) || was != f.Value)
                .Select(f => f.Key).Where(IsImage).ToList();

        private static bool IsImage(string path)
        {
            try
            {
                // pipes and sockets have no length, and opening a pipe waits for a writer: any dotnet process that starts
                // meanwhile leaves its clr-debug-pipe FIFOs in the temp folder
                if (new FileInfo(path).Length < 3) return false;
                using var file = File.OpenRead(path);
                Span<byte> head = stackalloc byte[4];
                var n = file.Read(head);
                return n >= 3 && ((head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF) || (n == 4 && head[0] == 0x89 && head[1] == (byte)'P'));
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
