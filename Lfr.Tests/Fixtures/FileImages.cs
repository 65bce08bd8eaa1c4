using Lfr.Vision;
using Lfr.Vision.Imaging;
using Lfr.Vision.Photos;
using OpenCvSharp;

namespace Lfr.Tests.Fixtures;

/// <summary>
/// Watchlist file images for the control-room specs: single-face JPEGs cut from the sample group photos (fetched by the
/// build, so these specs need no shared data), each checked to pass enrolment's one-good-face rule, and one face
/// engine that enrols them. The engine lives as long as the test process: control-room spec classes run in parallel
/// and all share it.
/// </summary>
public static class FileImages
{
    private static readonly Lazy<FaceEngine> SharedEngine = new(() => FaceEngine.Load(new FaceEngineOptions { Parallelism = 2 }));
    private static readonly Lazy<IReadOnlyList<byte[]>> Faces = new(Cut);

    public static FaceEngine Engine => SharedEngine.Value;

    /// <summary>How many different faces there are.</summary>
    public static int Count => Faces.Value.Count;

    /// <summary>Face number <paramref name="n"/> (modulo <see cref="Count"/>) as a JPEG of its own; a fresh copy each time.</summary>
    public static byte[] Face(int n) => [.. Faces.Value[n % Faces.Value.Count]];

    /// <summary>A face for an entry id, the same for the same id.</summary>
    public static byte[] For(string entryId) => Face(entryId.Sum(c => c));

    /// <summary>
    /// A JPEG that still decodes to the same face and carries <paramref name="comment"/> verbatim in a COM segment:
    /// a marker the privacy specs look for in the database files.
    /// </summary>
    public static byte[] WithComment(byte[] jpeg, byte[] comment)
    {
        if (comment.Length > ushort.MaxValue - 2) throw new ArgumentException("a JPEG comment holds at most 65,533 bytes", nameof(comment));
        var length = comment.Length + 2;
        return [jpeg[0], jpeg[1], 0xFF, 0xFE, (byte)(length >> 8), (byte)length, .. comment, .. jpeg.AsSpan(2)];
    }

    /// <summary>A photo with nobody in it, which enrolment must refuse.</summary>
    public static byte[] NoFace()
    {
        using var grey = new Mat(240, 320, MatType.CV_8UC3, new Scalar(128, 128, 128));
        return JpegEncoder.EncodeUnder(grey, 64 * 1024);
    }

    /// <summary>A whole group photo, which enrolment must refuse: several faces of similar size.</summary>
    public static byte[] GroupPhoto() => File.ReadAllBytes(SamplePhotos.Path(1));

    private static IReadOnlyList<byte[]> Cut()
    {
        var faces = new List<byte[]>();
        foreach (var n in Enumerable.Range(1, 6))
        {
            if (!File.Exists(SamplePhotos.Path(n))) continue;
            using var photo = SamplePhotos.Load(n);
            foreach (var face in Engine.Detect(photo).Where(f => f.Box.Width >= 48))
            {
                // the face with a margin of its own size each side, as a file image is framed
                var box = face.Box;
                var margin = Math.Max(box.Width, box.Height);
                var region = new Lfr.Vision.Detection.FaceBox(box.X - margin, box.Y - margin, box.Width + 2 * margin, box.Height + 2 * margin)
                    .ToRect(photo.Width, photo.Height);
                using var crop = new Mat(photo, region);
                var jpeg = JpegEncoder.EncodeUnder(crop, 64 * 1024);
                using var decoded = SafeImageDecoder.Decode(jpeg);
                if (SubjectFace.From(Engine, decoded.Image!, "sample", SubjectRule.SingleGoodFace).Ok)
                    faces.Add(jpeg);
            }
        }
        return faces.Count >= 4
            ? faces
            : throw new InvalidOperationException($"only {faces.Count} single-face file images could be cut from {SamplePhotos.Folder}");
    }
}
