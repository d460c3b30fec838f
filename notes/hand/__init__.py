"""Your own hand: learn the shop owner's handwriting from a photo of one filled-in sheet.

The modules read in the order the data flows:

    charset  which characters the sheet asks for, how many samples of each, and which accented
             letters are built from a base letter and a sampled mark
    sheet    the printable sheet: markers, boxes with guide lines, instructions (plain geometry,
             then drawing-model pages); and a sheet filled in a bundled font, for trying it out
    photo    a photo or scan -> the sheet seen flat: markers found, perspective undone
    learn    the flat sheet -> one cleaned bitmap per box, with what is wrong with each
    trace    a bitmap -> smooth TrueType contours placed on the box's guide lines
    build    samples -> a TrueType font (fontTools FontBuilder, overlaps removed with skia-pathops)
    store    learned hands in the user data folder, and their catalog entries
    report   the atlas of every sample, the list of problem boxes, a sample card

OpenCV and skia-pathops come with the `hand` extra (`pip install 'notes[hand]'`); nothing else in
`notes` imports this package, so cards do not need them.
"""
