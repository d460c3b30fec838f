"""Your own hand: learn the shop owner's handwriting from a photo of one filled-in sheet.

The modules read in the order the data flows:

    charset    which characters the sheet asks for, how many samples of each, and which accented
               letters are built from a base letter and a sampled mark
    sheet      the printable sheet as plain geometry: markers, boxes, guide lines (in mm)
    sheetpage  that geometry as a drawing-model page (notes.drawing), written by notes.pdf
    fill       the sheet filled in a bundled font, to try the flow (and the tests' input)
    photo      a photo or scan -> the sheet seen flat: markers found, perspective undone
    learn      the flat sheet -> one cleaned bitmap per box, with what is wrong with each
    trace      a bitmap -> smooth TrueType contours (and contours -> bitmaps, to compare)
    outline    glyph outlines as pen recordings, and what is done to them
    glyphset   samples -> the font's glyphs: placed on the baseline, alternates, accents, spacing
    fallback   missing characters from the bundled font closest to the hand
    build      glyphs -> a TrueType file (fontTools FontBuilder, overlaps removed by skia-pathops)
    store      learned hands in the user data folder, and their catalog entries
    report     the atlas of every sample, the list of problem boxes, the signature, a card
    pipeline   `notes hand learn` from photo to stored hand, in one call

OpenCV and skia-pathops come with the `hand` extra (`pip install 'notes[hand]'`); nothing else in
`notes` imports this package, so cards do not need them.
"""
