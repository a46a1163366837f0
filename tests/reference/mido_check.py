#!/usr/bin/python3
"""mido_check.py - an independent reader (Debian's python3-mido) for groove's MIDI files.

  mido_check.py written FILE.mid EXPECT.txt
      Checks a file groove wrote against what the pattern held.  EXPECT.txt:
        steps N / bpm X / name S / then one line per hit: "step gm_note vel off".
      Prints what differs and exits 1, or prints "ok" and exits 0.

  mido_check.py gmd ROOT N
      For a fixed sample of about N Groove MIDI Dataset files under ROOT, prints
        relpath first_bar steps a0 .. a8 b0 .. b8
      the first bar with notes and per-voice hit counts of the 2-bar windows
      starting there (a) and 3 bars later (b), computed here from mido's
      messages with Magenta's drum maps.
"""
import math
import os
import sys

import mido

# Magenta note_seq drums_encoder_decoder: ROLAND first (the GMD kit), REDUCED for the rest.
ROLAND = [[36], [38, 37, 40], [42, 22, 44], [46, 26], [43, 58], [47, 45], [50, 48],
          [49, 52, 55, 57], [51, 53, 59]]
REDUCED = [[36, 35], [38, 27, 28, 31, 32, 33, 34, 37, 39, 40, 56, 65, 66, 75, 85],
           [42, 44, 54, 68, 69, 70, 71, 73, 78, 80], [46, 67, 72, 74, 79, 81],
           [45, 29, 41, 61, 64, 84], [48, 47, 60, 63, 77, 86, 87], [50, 30, 43, 62, 76, 83],
           [49, 55, 57, 58], [51, 52, 53, 59, 82]]
VOICE_OF = {}
for table in (REDUCED, ROLAND):  # ROLAND written last, so it wins
    for v, notes in enumerate(table):
        for n in notes:
            VOICE_OF[n] = v
GM_NOTE = [36, 38, 42, 46, 43, 47, 50, 49, 51]


def fail(msgs):
    for m in msgs:
        print(m)
    sys.exit(1)


def check_written(path, expect_path):
    steps, bpm, name, hits = None, None, None, []
    with open(expect_path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] == 'steps':
                steps = int(w[1])
            elif w[0] == 'bpm':
                bpm = float(w[1])
            elif w[0] == 'name':
                name = line.split(None, 1)[1].rstrip('\n') if len(w) > 1 else ''
            else:
                hits.append((int(w[0]), int(w[1]), float(w[2]), float(w[3])))
    mid = mido.MidiFile(path)
    errs = []
    if mid.type != 0 or len(mid.tracks) != 1:
        errs.append(f'type {mid.type} with {len(mid.tracks)} tracks, want type 0 with 1')
    if mid.ticks_per_beat != 480:
        errs.append(f'ticks_per_beat {mid.ticks_per_beat}, want 480')
    tick, ons, offs, tempos, tsigs, names, eot = 0, [], [], [], [], [], None
    for msg in mid.tracks[0]:
        tick += msg.time
        if msg.type == 'set_tempo':
            tempos.append(msg.tempo)
        elif msg.type == 'time_signature':
            tsigs.append((msg.numerator, msg.denominator))
        elif msg.type == 'track_name':
            names.append(msg.name)
        elif msg.type == 'end_of_track':
            eot = tick
        elif hasattr(msg, 'channel'):
            if msg.channel != 9:
                errs.append(f'{msg} is not on channel 10')
            if msg.type == 'note_on' and msg.velocity > 0:
                ons.append((tick, msg.note, msg.velocity))
            elif msg.type in ('note_off', 'note_on'):
                offs.append((tick, msg.note))
    if len(tempos) != 1 or abs(mido.tempo2bpm(tempos[0]) - bpm) > 0.01:
        errs.append(f'tempo events {tempos}, want one for {bpm} BPM')
    if tsigs != [(4, 4)]:
        errs.append(f'time signatures {tsigs}, want [(4, 4)]')
    if name and names != [name]:
        errs.append(f'track names {names}, want [{name!r}]')
    if eot is None or eot < steps * 120:
        errs.append(f'end of track at {eot}, want >= {steps * 120}')
    # expected onsets: 120 ticks a step, the offset as a shift within one tick, never before 0
    want = sorted((gm_note(n), max(0, round(s * 120 + o * 120)), v) for s, n, v, o in hits)
    got = sorted(ons)
    if len(got) != len(want):
        errs.append(f'{len(got)} note-ons, want {len(want)}')
    # paired per note in time order: notes of one voice lie at least a tick apart
    for (wn, wt, wv), (gt, gn, gv) in zip(want, sorted(got, key=lambda x: (x[1], x[0]))):
        if wn != gn or abs(wt - gt) > 1 or abs(gv - max(1, min(127, wv * 127))) > 0.5 + 1e-6:
            errs.append(f'note-on at tick {gt} note {gn} vel {gv}, want tick {wt} note {wn} vel {wv * 127:.2f}')
    # every note ends, after it starts, before the same note sounds again
    for i, (t, n, _) in enumerate(got):
        nxt = min([t2 for t2, n2, _ in got if n2 == n and t2 > t], default=None)
        end = min([t2 for t2, n2 in offs if n2 == n and t2 > t], default=None)
        if end is None or (nxt is not None and end > nxt) or end - t > 60:
            errs.append(f'note {n} at {t}: ends at {end}, next at {nxt}')
    if len(offs) != len(got):
        errs.append(f'{len(offs)} note-offs for {len(got)} note-ons')
    if errs:
        fail(errs)
    print('ok')


def gm_note(n):
    if n not in GM_NOTE:
        raise ValueError(f'{n} is not a voice note')
    return n


def window_counts(path, later=3):
    """First bar with notes, window steps, and per-voice counts of the 2-bar
    windows at the first bar and `later` bars after it."""
    mid = mido.MidiFile(path)
    ppq = mid.ticks_per_beat
    notes, ts = [], None
    for track in mid.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == 'note_on' and msg.velocity > 0 and msg.note in VOICE_OF:
                notes.append((tick, msg.channel, msg.note, msg.velocity))
            elif msg.type == 'time_signature' and (ts is None or tick < ts[0]):
                ts = (tick, msg.numerator, msg.denominator)
    if any(ch == 9 for _, ch, _, _ in notes):
        notes = [n for n in notes if n[1] == 9]
    num, den = (ts[1], ts[2]) if ts else (4, 4)
    spb = num * 16 // den if (num * 16) % den == 0 else 16
    # nearest 16th, halves up; one hit per cell
    cells = {(math.floor(t * 4 / ppq + 0.5), VOICE_OF[n]) for t, _, n, _ in notes}
    first_bar = min(q for q, _ in cells) // spb
    steps = (2 * spb + 15) // 16 * 16
    out = []
    for bar in (first_bar, first_bar + later):
        counts = [0] * 9
        for q, v in cells:
            if bar * spb <= q < bar * spb + steps:
                counts[v] += 1
        out.append(counts)
    return first_bar, steps, out


def gmd_sample(root, n):
    files = sorted(os.path.relpath(os.path.join(d, f), root)
                   for d, _, fs in os.walk(root) for f in fs if f.endswith('.mid'))
    odd = [f for f in files if not f.endswith('4-4.mid')]  # other time signatures, always sampled
    even = files[::max(1, len(files) // max(1, n - min(6, len(odd))))]
    picked = sorted(set(even + odd[::max(1, len(odd) // 6)][:6]))
    for rel in picked:
        first_bar, steps, (a, b) = window_counts(os.path.join(root, rel))
        print(rel, first_bar, steps, *a, *b)


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'written':
        check_written(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == 'gmd':
        gmd_sample(sys.argv[2], int(sys.argv[3]))
    else:
        print(__doc__)
        sys.exit(2)
