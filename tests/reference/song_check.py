#!/usr/bin/python3
"""song_check.py - a song groove exported, read back with mido (Debian's python3-mido).

  song_check.py FILE.mid TICKS BPM MARKER_TICK:TEXT ... -- NOTES_PER_SECTION ...
      Checks: format 1, 480 PPQ; the file ends (End of Track of track 1) at
      TICKS; the first tempo is BPM; the markers (meta 'marker') are exactly
      the ones given, in order; the drum note-ons (channel 10) between one
      marker and the next number NOTES_PER_SECTION each.  Prints what differs
      and exits 1, or prints "ok" and exits 0.
"""
import sys

import mido


def main(argv):
    path, ticks, bpm = argv[1], int(argv[2]), float(argv[3])
    sep = argv.index("--")
    want_marks = [(int(a.split(":", 1)[0]), a.split(":", 1)[1]) for a in argv[4:sep]]
    want_notes = [int(a) for a in argv[sep + 1:]]
    m = mido.MidiFile(path)
    errs = []
    if m.type != 1 or m.ticks_per_beat != 480:
        errs.append("type %d, %d PPQ" % (m.type, m.ticks_per_beat))
    t, marks, ons, tempo, end = 0, [], [], None, None
    for msg in m.tracks[0]:
        t += msg.time
        if msg.type == "marker":
            marks.append((t, msg.text))
        elif msg.type == "set_tempo" and tempo is None:
            tempo = mido.tempo2bpm(msg.tempo)
        elif msg.type == "note_on" and msg.velocity > 0:
            if msg.channel != 9:
                errs.append("note on channel %d" % (msg.channel + 1))
            ons.append(t)
        elif msg.type == "end_of_track":
            end = t
    if end != ticks:
        errs.append("ends at tick %s, not %d" % (end, ticks))
    if tempo is None or abs(tempo - bpm) > 0.01:
        errs.append("tempo %s, not %g" % (tempo, bpm))
    if marks != want_marks:
        errs.append("markers %s, not %s" % (marks, want_marks))
    bounds = [mk[0] for mk in want_marks] + [ticks + 1]
    got = [sum(1 for o in ons if bounds[i] <= o < bounds[i + 1]) for i in range(len(want_marks))]
    if got != want_notes:
        errs.append("notes per section %s, not %s" % (got, want_notes))
    for e in errs:
        print(e)
    if not errs:
        print("ok")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
