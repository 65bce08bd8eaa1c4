namespace Lfr.Actors.Van;

/// <summary>One camera of a van.</summary>
public readonly record struct CameraId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>A deployment: the authorised period in which the van may process frames.</summary>
public readonly record struct DeploymentId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>One person's passage through a camera's view (unique per camera).</summary>
public readonly record struct TrackId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An alert candidate; delivery downstream is idempotent on it.</summary>
public readonly record struct AlertId(Guid Value)
{
    public static AlertId New() => new(Guid.NewGuid());
    public override string ToString() => Value.ToString("N");
}
