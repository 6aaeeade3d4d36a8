"""Vehizen GET answers of growing size, from the documented sample.

    python3 vehizen_sizes.py SAMPLE_XML OUT_DIR LABEL=BYTES...

For each LABEL=BYTES, writes OUT_DIR/LABEL.xml: the sample's group with its
vehicle repeated verbatim (as the sample itself repeats it) until the
document is at least BYTES long, so the sample's own size gives the sample. Below the size of one vehicle, the one vehicle keeps
only its first members (DataContract order, every member optional), so a
1 KB answer is still a group with a vehicle. Prints "LABEL bytes vehicles".
"""

import sys

OPEN = "<d2p1:VehicleLightDto>"
CLOSE = "</d2p1:VehicleLightDto>"


def main():
    sample, out_dir, targets = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(sample, encoding="utf-8") as f:
        text = f.read()
    start = text.index(OPEN)
    end = text.index(CLOSE, start) + len(CLOSE)
    head = text[:start]
    vehicle = text[start:end] + "\n"
    tail = text[text.rindex("</Vehicles>"):]
    for target in targets:
        label, size = target.split("=")
        size = int(size)
        if len(head) + len(vehicle) + len(tail) > size:
            # One vehicle, cut after its first single-line members.
            lines = vehicle.splitlines(keepends=True)
            body = lines[0]
            for line in lines[1:-1]:
                if not line.rstrip().endswith(">") or line.count("<") != 2:
                    break
                if len(head) + len(body) + len(line) + len(CLOSE) + 1 + len(tail) > size:
                    break
                body += line
            doc = head + body + CLOSE + "\n" + tail
            n = 1
        else:
            n = 0
            parts = [head]
            length = len(head) + len(tail)
            while length < size:
                parts.append(vehicle)
                length += len(vehicle)
                n += 1
            parts.append(tail)
            doc = "".join(parts)
        data = doc.encode("utf-8")
        with open("%s/%s.xml" % (out_dir, label), "wb") as f:
            f.write(data)
        print(label, len(data), n)


if __name__ == "__main__":
    main()
