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

    /// <summary>
    /// Another file image of the same person, as custody images of other dates would be: 0 is <see cref="FileImage(int)"/>,
    /// 1 a tighter crop mirrored, 2 a wider crop darkened.
    /// </summary>
    public static byte[] FileImage(int face, int variant) => variant switch
    {
        0 => FileImage(face),
        1 => Crop(face, margin: 0.35, mirror: true),
        _ => Crop(face, margin: 0.6, gain: 0.7),
    };

    public static byte[] Capture(int face) => Crop(face, margin: 0.2);

    private static byte[] Crop(int face, double margin, bool mirror = false, double gain = 1)
    {
        using var photo = SamplePhotos.Load(1);
        var box = Faces[face];
        var grow = (int)(margin * Math.Max(box.Width, box.Height));
        var rect = new Rect(box.X - grow, box.Y - grow, box.Width + 2 * grow, box.Height + 2 * grow)
            .Intersect(new Rect(0, 0, photo.Width, photo.Height));
        using var crop = new Mat(photo, rect);
        using var varied = new Mat();
        crop.ConvertTo(varied, -1, gain);
        if (mirror) Cv2.Flip(varied, varied, FlipMode.Y);
        Cv2.ImEncode(".jpg", varied, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 90));
        return jpeg;
    }
}
