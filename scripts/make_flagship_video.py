#!/usr/bin/env python3
"""Makes the flagship course's short video: a narrated slideshow on how a language model writes,
one token after another. Slides are drawn by ffmpeg, the narration is spoken by espeak-ng, and
the French captions and the transcript are written from the same sentences, timed on the
narration. Needs Debian's ffmpeg, espeak-ng and fonts-dejavu-core; the result is committed, so
neither the build nor the tests need them.

    python3 scripts/make_flagship_video.py   # writes courses/ia-generatives/media/prediction.*
"""

import subprocess
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "courses" / "ia-generatives" / "media"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
WIDTH, HEIGHT = 640, 360
PAUSE = 0.7  # seconds of silence after each sentence

# (title, lines shown, sentence spoken)
SLIDES = [
    ("Écrire, un jeton après l'autre",
     ["Un modèle de langage ne cherche pas", "une réponse : il écrit la suite la plus probable."],
     "Un modèle de langage ne cherche pas une réponse dans une base : il écrit la suite la plus probable d'un texte."),
    ("1. Le texte est découpé",
     ["« Le courrier est »", "→  Le  |  courrier  |  est"],
     "D'abord, le texte est découpé en jetons : des morceaux de mots."),
    ("2. Chaque suite reçoit une probabilité",
     ["prêt  41 %", "parti  27 %", "arrivé  19 %", "bleu  moins de 1 %"],
     "Ensuite, le modèle donne une probabilité à chaque jeton qui pourrait suivre."),
    ("3. Un jeton est choisi, et on recommence",
     ["« Le courrier est prêt »", "puis le jeton suivant, et ainsi de suite."],
     "Il en choisit un, l'ajoute au texte, puis recommence, jeton après jeton."),
    ("À retenir",
     ["Une réponse bien écrite n'est pas", "forcément une réponse vraie : vérifiez."],
     "C'est pourquoi une réponse bien écrite n'est pas forcément vraie : vérifiez toujours."),
]


def run(*args):
    subprocess.run(args, check=True, capture_output=True)


def duration(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
                         check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def escape(text):
    """Text for ffmpeg's drawtext filter."""
    return text.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\u2019")


def stamp(seconds):
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes):02d}:{rest:06.3f}"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        segments, cues, start = [], [], 0.0
        for index, (title, lines, sentence) in enumerate(SLIDES):
            voice = tmp / f"voice{index}.wav"
            run("espeak-ng", "-v", "fr", "-s", "150", "-w", str(voice), sentence)
            length = duration(voice) + PAUSE
            draw = [f"drawtext=fontfile={BOLD}:text='{escape(title)}':fontcolor=0x000091:fontsize=26:x=32:y=48:expansion=none"]
            for row, line in enumerate(lines):
                draw.append(f"drawtext=fontfile={FONT}:text='{escape(line)}':fontcolor=0x1e1e1e:fontsize=24"
                            f":x=32:y={130 + row * 44}:expansion=none")
            draw.append(f"drawbox=x=0:y={HEIGHT - 10}:w={WIDTH * (index + 1) // len(SLIDES)}:h=10:color=0x000091:t=fill")
            segment = tmp / f"slide{index}.webm"
            run("ffmpeg", "-y", "-f", "lavfi", "-i", f"color=c=0xf6f6f6:s={WIDTH}x{HEIGHT}:r=10:d={length:.3f}",
                "-i", str(voice), "-filter_complex", f"[0:v]{','.join(draw)}[v];[1:a]apad[a]",
                "-map", "[v]", "-map", "[a]", "-t", f"{length:.3f}",
                "-c:v", "libvpx-vp9", "-b:v", "60k", "-deadline", "good", "-row-mt", "1",
                "-c:a", "libopus", "-b:a", "24k", "-ac", "1", "-ar", "48000", str(segment))
            segments.append(segment)
            cues.append((start, start + length - PAUSE / 2, sentence))
            start += length
        listing = tmp / "list.txt"
        listing.write_text("".join(f"file '{s}'\n" for s in segments))
        run("ffmpeg", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(OUT / "prediction.webm"))
    captions = ["WEBVTT", ""]
    for begin, end, sentence in cues:
        captions += [f"{stamp(begin)} --> {stamp(end)}", sentence, ""]
    (OUT / "prediction.fr.vtt").write_text("\n".join(captions))
    transcript = ["**Écrire, un jeton après l'autre** (vidéo de {:.0f} secondes, voix de synthèse)".format(start), ""]
    transcript += [sentence for _, _, sentence in cues]
    transcript += ["", "Les quatre suites possibles de « Le courrier est » et leur probabilité : prêt 41 %, "
                   "parti 27 %, arrivé 19 %, bleu moins de 1 %."]
    (OUT / "prediction.md").write_text("\n\n".join(line for line in transcript if line) + "\n")
    print(f"{OUT / 'prediction.webm'}: {(OUT / 'prediction.webm').stat().st_size} bytes, {start:.1f} s")


if __name__ == "__main__":
    main()
