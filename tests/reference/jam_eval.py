"""jam_eval.py - `groove jam --taps` on GMD validation takes, beside `groove
generate` of the same windows (README, issue 21).

usage: /usr/bin/python3 jam_eval.py GROOVE GMD_DIR [N_TAKES] [BARS]

For each of the first N validation beats in 4/4 at least BARS (16) bars long
(info.csv order): the take's notes are the taps (--lanes 1: its monotonic
groove); per 2-bar window after the first (nothing plays before the first
regeneration) it scores, against the real drummer's window, the hit F1 over
(step, voice) cells and the rhythm F1 of the drums' onsets against the
taps' onsets, for the jam's drums (which answer what was played before) and
for generate's drums of that same window (which read the window itself).
Steps come from ticks (480 PPQ -> 120 a 16th), voices from groove's drum map."""
import csv
import os
import subprocess
import sys
import tempfile

import mido

ROLAND = [[36], [38, 37, 40], [42, 22, 44], [46, 26], [43, 58], [47, 45], [50, 48], [49, 52, 55, 57], [51, 53, 59]]
REDUCED = [[36, 35], [38, 27, 28, 31, 32, 33, 34, 37, 39, 40, 56, 65, 66, 75, 85],
           [42, 44, 54, 68, 69, 70, 71, 73, 78, 80, 22], [46, 67, 72, 74, 79, 81, 26],
           [45, 29, 41, 43, 61, 64, 84], [48, 47, 60, 63, 77, 86, 87], [50, 30, 62, 76, 83],
           [49, 52, 55, 57, 58], [51, 53, 59, 82]]


def voice(note):
    for table in (ROLAND, REDUCED):
        for v, notes in enumerate(table):
            if note in notes:
                return v
    return -1


def cells(path, track=None):
    """{(step, voice)} of a file's note-ons (one track, or all)."""
    m = mido.MidiFile(path)
    per = m.ticks_per_beat / 4.0
    out = set()
    tracks = [m.tracks[track]] if track is not None else m.tracks
    for tr in tracks:
        t = 0
        for msg in tr:
            t += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                v = voice(msg.note)
                if v >= 0:
                    out.add((int(t / per + 0.5), v))
    return out


def f1(a, b):
    if not a and not b:
        return 1.0
    tp = len(a & b)
    return 2.0 * tp / (len(a) + len(b))


def window(c, w):
    return {(s - 32 * w, v) for s, v in c if 32 * w <= s < 32 * w + 32}


def onsets(c):
    return {s for s, _ in c}


def main():
    groove, gmd = sys.argv[1], sys.argv[2]
    n_takes = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    bars = int(sys.argv[4]) if len(sys.argv) > 4 else 16
    rows = list(csv.DictReader(open(os.path.join(gmd, "info.csv"))))
    takes = [r for r in rows if r["split"] == "validation" and r["beat_type"] == "beat"
             and r["time_signature"] == "4-4" and float(r["duration"]) >= (bars + 1) * 240.0 / float(r["bpm"])]
    takes = takes[:n_takes]
    score = {"jam": [0.0, 0.0, 0], "generate": [0.0, 0.0, 0]}
    tmp = tempfile.mkdtemp()
    for r in takes:
        path = os.path.join(gmd, r["midi_filename"])
        jam = os.path.join(tmp, "jam.mid")
        subprocess.run([groove, "jam", "--taps", path, "--lanes", "1", "-o", jam], check=True, stdout=subprocess.DEVNULL)
        gdir = os.path.join(tmp, "gen")
        subprocess.run([groove, "generate", path, "--start-bar", "1", "--bars", str(bars), "-o", gdir],
                       check=True, stdout=subprocess.DEVNULL)
        stem = os.path.splitext(os.path.basename(path))[0]
        real = cells(path)
        got = {"jam": cells(jam, 0), "generate": cells(os.path.join(gdir, stem + "-01.mid"))}
        for w in range(1, bars // 2):
            rw = window(real, w)
            taps = onsets(rw)
            for k in got:
                gw = window(got[k], w)
                score[k][0] += f1(gw, rw)
                score[k][1] += f1(onsets(gw), taps)
                score[k][2] += 1
    print(f"{len(takes)} validation takes, {bars} bars each, 2-bar windows 2..{bars // 2} "
          f"({score['jam'][2]} windows)")
    for k, (hf, rf, n) in score.items():
        print(f"  {k:9s} hit F1 {hf / n:.3f}   rhythm F1 vs the taps {rf / n:.3f}")


if __name__ == "__main__":
    main()
