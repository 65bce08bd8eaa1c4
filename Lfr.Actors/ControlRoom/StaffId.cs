namespace Lfr.Actors.ControlRoom;

/// <summary>A member of staff by warrant or collar number; the control room records who did what by this id.</summary>
public readonly record struct StaffId(string Value)
{
    public static readonly StaffId System = new("system");
    public override string ToString() => Value;
}
