using Lfr.Vision;
using Lfr.Vision.Imaging;
using OpenCvSharp;

namespace Lfr.Tests.Fixtures;

/// <summary>One face engine per test class (loading the four models takes a second).</summary>
public sealed class EngineFixture : IDisposable
{
    public FaceEngine Engine { get; } = FaceEngine.Load(new FaceEngineOptions { Parallelism = 2, Liveness = true });

    public void Dispose() => Engine.Dispose();
}

/// <summary>The group photos fetched by the build (a registry package's demo images) into samples/.</summary>
public static class SamplePhotos
{
    public static string Folder => System.IO.Path.Combine(AppContext.BaseDirectory, "samples");

    public static string Path(int n) => System.IO.Path.Combine(Folder, $"sample{n}.jpg");

    public static Mat Load(int n) => SafeImageDecoder.DecodeFile(Path(n)).TakeImage();
}
