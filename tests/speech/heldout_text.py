"""Sentences and voices of the held-out VAD corpus (make_heldout.py).

All sentences were written for this project. The tuning and held-out splits share
no sentence and no voice; each split also has its own small pool of sentences used
only as background babble.
"""

TUNING_SENTENCES = [
    "The kettle clicked off just as the phone began to ring.",
    "Please move the green chairs closer to the window.",
    "A narrow bridge crosses the river below the old mill.",
    "We counted eleven boats drifting past the harbour wall.",
    "Her bicycle has a basket made of woven willow.",
    "The bakery on the corner opens at half past six.",
    "Thunder rolled over the hills long after the rain stopped.",
    "My cousin keeps a jar of buttons on the shelf.",
    "The printer jammed twice before the report was finished.",
    "Bright lanterns hung along the path to the garden.",
    "The train to the coast leaves from platform four.",
    "He folded the map and put it in his coat pocket.",
    "Seven geese landed on the frozen pond this morning.",
    "The soup needs more pepper and a pinch of salt.",
    "Our neighbour painted the fence a pale shade of blue.",
    "A small dog barked at every car that went by.",
    "The museum closes early on the first Monday of the month.",
    "She wrote the recipe on the back of an envelope.",
    "The wind tipped over the flower pots on the balcony.",
    "Fresh bread cools on a rack beside the oven.",
    "They argued for an hour about the shape of the table.",
    "The lighthouse beam swept slowly across the dark bay.",
    "Every drawer in the kitchen sticks in damp weather.",
    "The choir practised the same song until it was perfect.",
    "I found a silver coin under the loose floorboard.",
    "The farmer repaired the gate before the storm arrived.",
    "Two owls called to each other across the valley.",
    "The library keeps old newspapers in the basement.",
    "Warm socks are the best gift on a winter night.",
    "The clock in the hall runs five minutes slow.",
    "A line of ants marched across the picnic blanket.",
    "The captain checked the ropes before the boat set off.",
]

HELDOUT_SENTENCES = [
    "The orchard behind the school grows three kinds of plums.",
    "Nobody noticed the ladder leaning against the chimney.",
    "The market sells cheese, olives and baskets of figs.",
    "Rain dripped from the gutter onto the stone steps.",
    "He tuned the old guitar before the evening concert.",
    "The tram rattled down the hill toward the square.",
    "A wooden sign pointed the way to the waterfall.",
    "Grandmother kept her letters tied with a red ribbon.",
    "The students planted sunflowers along the playground fence.",
    "A heavy fog rolled in from the sea at dusk.",
    "The carpenter measured the doorway three times.",
    "Wild strawberries grow beside the railway track.",
    "The shop window was full of hats and umbrellas.",
    "Our team won the match in the final minute.",
    "The cat slept on a pile of warm laundry.",
    "Smoke rose from the chimney of the empty cottage.",
    "The pilot announced a short delay before take off.",
    "A paper kite caught in the branches of the oak.",
    "The river flooded the meadow twice last spring.",
    "She poured the tea into two chipped blue cups.",
    "The mechanic found a nail in the front tyre.",
    "Children chased pigeons around the fountain.",
    "The candle flickered when someone opened the door.",
    "A long queue formed outside the new cinema.",
    "The goat chewed through the rope and wandered off.",
    "He forgot his keys on the bus again today.",
    "The valley turns golden in the middle of autumn.",
    "Please return the ladder to the shed when you finish.",
    "The radio played softly in the empty workshop.",
    "A parcel arrived with no name and no stamp.",
    "The swimmers waited for the whistle at the edge of the pool.",
    "Frost covered the windscreen of every parked car.",
]

TUNING_BABBLE = [
    "Somebody left a blue scarf on the back seat.",
    "The plumber will come round on Thursday afternoon.",
    "Let me know when the water starts to boil.",
    "I think the meeting has been moved to room nine.",
    "Have you seen the photographs from the wedding?",
    "The parking ticket is stuck under the wiper.",
]

HELDOUT_BABBLE = [
    "Could you pass the salt and the bread, please?",
    "The dentist called to change the appointment.",
    "We should leave before the traffic gets worse.",
    "My brother is painting the spare bedroom yellow.",
    "Don't forget to water the tomatoes tonight.",
    "The bus was late again because of the roadworks.",
]

# (espeak-ng voice+variant, pitch range, rate range). Pitch is espeak's -p (0-99), rate -s in words
# per minute; each file draws its pitch and rate from these ranges with the split's seed.
TUNING_VOICES = [
    ("en-us+m1", (30, 50), (140, 180)),
    ("en-gb+f2", (50, 70), (130, 170)),
    ("en-gb-scotland+m3", (20, 40), (150, 200)),
    ("en-029+f4", (60, 80), (120, 160)),
    ("en-us+klatt", (40, 60), (130, 170)),
]

HELDOUT_VOICES = [
    ("en-gb-x-rp+m7", (20, 40), (160, 200)),
    ("en-us+f5", (70, 80), (150, 190)),  # high and quick: child-like
    ("en-gb-x-gbclan+m4", (35, 55), (120, 150)),
    ("en-gb-x-gbcwmd+f1", (55, 75), (170, 200)),
    ("en-us+croak", (20, 35), (130, 160)),
    ("en-gb+f3", (65, 80), (120, 150)),
]
