using Lfr.Tests.Fixtures;
using OpenCvSharp;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// Real faces for the web specs: crops of the build's sample group photo (sample1.jpg, where <c>lfr detect</c> finds
/// three faces at these boxes), one as the watchlist's file image and a tighter one as the van's live capture.
/// </summary>
public static class FacePhotos
{
    private static readonly Rect[] Faces = [new(413, 352, 190, 242), new(823, 423, 216, 228), new(1456, 220, 234, 214)];

    public static byte[] FileImage(int face) => Crop(face, margin: 0.5);

    public static byte[] Capture(int face) => Crop(face, margin: 0.2);

    private static byte[] Crop(int face, double margin)
    {
        using var photo = SamplePhotos.Load(1);
        var box = Faces[face];
        var grow = (int)(margin * Math.Max(box.Width, box.Height));
        var rect = new Rect(box.X - grow, box.Y - grow, box.Width + 2 * grow, box.Height + 2 * grow)
            .Intersect(new Rect(0, 0, photo.Width, photo.Height));
        using var crop = new Mat(photo, rect);
        Cv2.ImEncode(".jpg", crop, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
        return jpeg;
    }
}
